"""Who may see safeguarding records, one module per object: the access log now; disclosures,
concerns, information sharing and access grants beside it as they come."""
