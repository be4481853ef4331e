package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"hub/adapters"
)

// FetchMedia streams a Telegram file (a.URL is its file_id): getFile, then
// a download from the channel's API base, /file/bot<token>/<file_path>.
// Files above MaxMediaBytes (or Telegram's own 20 MB getFile limit) are a
// 413 media_too_large; an unknown file id is a 404 media_not_found.
func (a *Adapter) FetchMedia(ctx context.Context, ch adapters.Channel, att adapters.Attachment) (adapters.Media, error) {
	s, err := parseSettings(ch)
	if err != nil {
		return adapters.Media{}, err
	}
	if att.URL == "" {
		return adapters.Media{}, adapters.Errorf(http.StatusNotFound, "media_not_found", "the attachment has no Telegram file id")
	}
	result, err := a.request(ctx, s, tgbotapi.FileConfig{FileID: att.URL})
	if err != nil {
		return adapters.Media{}, a.fileError(err)
	}
	var f struct {
		FilePath string `json:"file_path"`
		FileSize int64  `json:"file_size"`
	}
	if err := json.Unmarshal(result, &f); err != nil || f.FilePath == "" {
		return adapters.Media{}, errors.New("telegram: getFile returned no file_path")
	}
	if f.FileSize > a.cfg.MaxMediaBytes {
		return adapters.Media{}, a.tooLarge()
	}

	link := s.base + "/file/bot" + s.token + "/" + escapePath(f.FilePath)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return adapters.Media{}, errors.New("telegram: cannot build the download request")
	}
	resp, err := ctxClient{ctx, a.cfg.HTTPClient, s.token}.Do(req)
	if err != nil {
		return adapters.Media{}, fmt.Errorf("telegram: download: %w", err)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		resp.Body.Close()
		return adapters.Media{}, adapters.Errorf(http.StatusNotFound, "media_not_found", "Telegram no longer has this file")
	case resp.StatusCode != http.StatusOK:
		resp.Body.Close()
		return adapters.Media{}, fmt.Errorf("telegram: download: HTTP %d", resp.StatusCode)
	case resp.ContentLength > a.cfg.MaxMediaBytes:
		resp.Body.Close()
		return adapters.Media{}, a.tooLarge()
	}
	size := resp.ContentLength
	if size < 0 && f.FileSize > 0 {
		size = f.FileSize
	}
	if size < 0 {
		size = -1
	}
	return adapters.Media{
		Body:        adapters.CapBody(resp.Body, a.cfg.MaxMediaBytes),
		ContentType: contentType(att.ContentType, resp.Header.Get("Content-Type"), f.FilePath),
		Size:        size,
	}, nil
}

func (a *Adapter) tooLarge() error {
	return adapters.Errorf(http.StatusRequestEntityTooLarge, "media_too_large",
		"the file is larger than %d MiB, the most that can be fetched from Telegram", a.cfg.MaxMediaBytes>>20)
}

// fileError maps getFile failures: "file is too big" → 413, another 400
// (bad file id) → 404, the rest as for sends.
func (a *Adapter) fileError(err error) error {
	if te, ok := apiError(err); ok && te.Code == http.StatusBadRequest {
		if strings.Contains(strings.ToLower(te.Message), "too big") {
			return a.tooLarge()
		}
		return adapters.Errorf(http.StatusNotFound, "media_not_found", "Telegram does not know this file: %s", te.Message)
	}
	return classify("getFile", err)
}

// escapePath escapes each segment of a file_path, keeping the slashes.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// contentType prefers the attachment's own type, then the server's unless
// generic, then the file extension's.
func contentType(known, header, filePath string) string {
	if known != "" {
		return known
	}
	if mt, _, err := mime.ParseMediaType(header); err == nil && mt != "application/octet-stream" {
		return header
	}
	if t := mime.TypeByExtension(path.Ext(filePath)); t != "" {
		return t
	}
	return "application/octet-stream"
}
