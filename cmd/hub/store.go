package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"hub/config"
	"hub/inbox"
	"hub/inbox/mongostore"
	"hub/inbox/sqlitestore"
)

// openStore picks the store: MongoDB when a URI is configured, else the
// embedded SQLite file in the data directory.
func openStore(ctx context.Context, cfg config.Config) (inbox.Store, error) {
	if cfg.MongoURI != "" {
		s, err := mongostore.Open(ctx, cfg.MongoURI, cfg.MongoDatabase)
		if err != nil {
			return nil, fmt.Errorf("opening MongoDB: %w", err)
		}
		return s, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	s, err := sqlitestore.Open(filepath.Join(cfg.DataDir, "hub.db"))
	if err != nil {
		return nil, fmt.Errorf("opening the SQLite store: %w", err)
	}
	return s, nil
}

func storeName(cfg config.Config) string {
	if cfg.MongoURI != "" {
		return "mongodb"
	}
	return "sqlite"
}
