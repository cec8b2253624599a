// Placeholder: this dissector is being written; it registers nothing yet.
