package boltstore

// CloseFile closes the database file under a store, so its next commit
// fails the way a disk that stops accepting writes makes it fail.
func CloseFile(s *Store) error { return s.db.Close() }
