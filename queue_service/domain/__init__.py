"""The rules of the front door, free of any framework, database or clock."""
