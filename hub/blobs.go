package hub

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"hub/hub/api"
	"hub/inbox"
)

// blobStore keeps the files agents upload in the data directory:
// <dir>/<workspaceId>/<id> holds the bytes and <id>.json a small sidecar
// (name, content type, size, workspace, time). On MongoDB the files still
// live on the disk of the instance that received them: run one instance
// or share the data directory between instances (GridFS is future work).
type blobStore struct {
	dir   string
	clock inbox.Clock
}

func newBlobStore(dir string, clock inbox.Clock) *blobStore {
	return &blobStore{dir: dir, clock: clock}
}

// validName keeps ids and workspace ids to one safe path element.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
		if !ok {
			return false
		}
	}
	return true
}

// Put stores r (at most max bytes) and returns its description.
func (b *blobStore) Put(_ context.Context, workspaceID, name, contentType string, r io.Reader, max int64) (api.Upload, error) {
	if !validName(workspaceID) {
		return api.Upload{}, errors.New("blobs: bad workspace id")
	}
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return api.Upload{}, err
	}
	up := api.Upload{ID: hex.EncodeToString(raw), WorkspaceID: workspaceID, Name: name, ContentType: contentType,
		CreatedAt: b.clock.Now().UTC()}
	dir := filepath.Join(b.dir, workspaceID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return api.Upload{}, err
	}
	path := filepath.Join(dir, up.ID)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return api.Upload{}, err
	}
	n, err := io.Copy(f, io.LimitReader(r, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > max {
		err = api.ErrFileTooLarge
	}
	if err != nil {
		_ = os.Remove(path)
		return api.Upload{}, err
	}
	up.Size = n
	meta, err := json.Marshal(up)
	if err == nil {
		err = os.WriteFile(path+".json", meta, 0o600)
	}
	if err != nil {
		_ = os.Remove(path)
		return api.Upload{}, fmt.Errorf("blobs: writing sidecar: %w", err)
	}
	return up, nil
}

// Open returns the bytes of an upload of the workspace; an unknown id (or
// another workspace's) is inbox.ErrNotFound.
func (b *blobStore) Open(_ context.Context, workspaceID, id string) (io.ReadCloser, api.Upload, error) {
	if !validName(workspaceID) || !validName(id) {
		return nil, api.Upload{}, inbox.ErrNotFound
	}
	path := filepath.Join(b.dir, workspaceID, id)
	meta, err := os.ReadFile(path + ".json")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, api.Upload{}, inbox.ErrNotFound
	}
	if err != nil {
		return nil, api.Upload{}, err
	}
	var up api.Upload
	if err := json.Unmarshal(meta, &up); err != nil {
		return nil, api.Upload{}, fmt.Errorf("blobs: sidecar of %s: %w", id, err)
	}
	if up.WorkspaceID != workspaceID || up.ID != id {
		return nil, api.Upload{}, inbox.ErrNotFound
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, api.Upload{}, inbox.ErrNotFound
	}
	if err != nil {
		return nil, api.Upload{}, err
	}
	return f, up, nil
}
