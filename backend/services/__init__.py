"""Services the API and the UI call, and workflows write through: the records a person
reads and decides on (price reviews, crisis incidents, a campaign's live state)."""
