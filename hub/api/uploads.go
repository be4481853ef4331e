package api

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

// MaxUploadBytes is the largest file an agent may upload.
const MaxUploadBytes = 10 << 20

// Upload describes a stored file an agent uploaded.
type Upload struct {
	ID          string    `json:"id"`
	WorkspaceID string    `json:"workspaceId"`
	Name        string    `json:"name"`
	ContentType string    `json:"contentType"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"createdAt"`
}

// Uploads store the files agents attach to replies. Open answers
// inbox.ErrNotFound for an id unknown in the workspace.
type Uploads interface {
	Put(ctx context.Context, workspaceID, name, contentType string, r io.Reader, max int64) (Upload, error)
	Open(ctx context.Context, workspaceID, id string) (io.ReadCloser, Upload, error)
}

// ErrFileTooLarge is the answer to a file over MaxUploadBytes.
var ErrFileTooLarge = apiError(fiber.StatusRequestEntityTooLarge, "file_too_large", "the file is larger than 10 MiB")

var (
	errUnsupportedType   = apiError(fiber.StatusUnsupportedMediaType, "unsupported_type", "only images (PNG, JPEG, GIF, WebP), PDF and plain text may be attached")
	errNoFile            = apiError(fiber.StatusBadRequest, "file_required", "send the file in the multipart field \"file\"")
	errInvalidAttachment = apiError(fiber.StatusBadRequest, "invalid_attachment", "unknown upload: upload the file again")
	errUploadsOff        = apiError(fiber.StatusServiceUnavailable, "uploads_unavailable", "file uploads are not configured")
)

// allowedTypes are the accepted extensions with the type their content
// must sniff as.
var allowedTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".webp": "image/webp", ".pdf": "application/pdf", ".txt": "text/plain",
}

// sigLen is the length of a file link's signature (base64url characters).
const sigLen = 22

// fileSig signs a file link: HMAC-SHA256 of "<workspaceId>/<id>".
func (a *API) fileSig(workspaceID, id string) string {
	m := hmac.New(sha256.New, a.fileKey)
	m.Write([]byte(workspaceID + "/" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:sigLen]
}

// fileURL is the public link of an upload: customers (and providers
// fetching media) open it without a session.
func (a *API) fileURL(workspaceID, id string) string {
	return a.publicURL + "/files/" + workspaceID + "/" + id + "/" + a.fileSig(workspaceID, id)
}

type uploadView struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
}

// upload stores an agent's file (multipart field "file").
func (a *API) upload(c *fiber.Ctx) error {
	if a.uploads == nil {
		return errUploadsOff
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return errNoFile
	}
	if fh.Size > MaxUploadBytes {
		return ErrFileTooLarge
	}
	name := filepath.Base(strings.ReplaceAll(fh.Filename, "\\", "/"))
	want, ok := allowedTypes[strings.ToLower(filepath.Ext(name))]
	if !ok {
		return errUnsupportedType
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	head = head[:n]
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	if sniffed != want {
		return errUnsupportedType
	}
	contentType := want
	if want == "text/plain" {
		contentType = "text/plain; charset=utf-8"
	}
	act := actor(c)
	body := io.MultiReader(bytes.NewReader(head), f)
	up, err := a.uploads.Put(c.UserContext(), act.WorkspaceID, name, contentType, body, MaxUploadBytes)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(uploadView{ID: up.ID, URL: a.fileURL(up.WorkspaceID, up.ID),
		Name: up.Name, ContentType: up.ContentType, Size: up.Size})
}

// attachmentRef names an upload in a reply.
type attachmentRef struct {
	UploadID string `json:"uploadId"`
}

// resolveAttachments turns upload ids of the workspace into attachments
// with their public links.
func (a *API) resolveAttachments(ctx context.Context, workspaceID string, refs []attachmentRef) ([]inbox.Attachment, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	if a.uploads == nil {
		return nil, errInvalidAttachment
	}
	out := make([]inbox.Attachment, 0, len(refs))
	for _, ref := range refs {
		rc, up, err := a.uploads.Open(ctx, workspaceID, ref.UploadID)
		if errors.Is(err, inbox.ErrNotFound) {
			return nil, errInvalidAttachment
		}
		if err != nil {
			return nil, err
		}
		rc.Close()
		out = append(out, inbox.Attachment{URL: a.fileURL(workspaceID, up.ID), ContentType: up.ContentType, Name: up.Name, Size: up.Size})
	}
	return out, nil
}

// serveFile answers a public file link: the signature must match, the
// file is shown (images) or downloaded (others), never run.
func (a *API) serveFile(c *fiber.Ctx) error {
	ws, id, sig := c.Params("ws"), c.Params("id"), c.Params("sig")
	if a.uploads == nil || len(sig) != sigLen || !hmac.Equal([]byte(sig), []byte(a.fileSig(ws, id))) {
		return notFound("file")
	}
	rc, up, err := a.uploads.Open(c.UserContext(), ws, id)
	if err != nil {
		return orNotFound(err, "file")
	}
	disposition := "attachment"
	if strings.HasPrefix(up.ContentType, "image/") {
		disposition = "inline"
	}
	c.Set(fiber.HeaderContentType, up.ContentType)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; sandbox")
	c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType(disposition, map[string]string{"filename": up.Name}))
	return c.SendStream(rc, int(up.Size))
}
