"""Evidence: /evidence screens, the evidence conversation, and links, notes and photos sent."""
