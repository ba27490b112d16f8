package boltstore

import "github.com/stakegraph/stakegraph/internal/domain"

// CloseFile closes the database file under a store, so its next commit
// fails the way a disk that stops accepting writes makes it fail.
func CloseFile(s *Store) error { return s.db.Close() }

// Snapshot is the store readers are served at the current data version:
// derived write by write, never rebuilt. It stays as it is after later writes.
func Snapshot(s *Store) domain.Store { return s.cur.Load().mem }
