"""Pure presentation: texts, keyboards, callback data, cards, screens and charts."""
