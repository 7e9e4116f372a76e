"""Pure business rules: no Telegram, no SQL, time passed in as arguments."""
