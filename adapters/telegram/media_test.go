package telegram

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"hub/adapters"
)

func TestFetchMedia_GetFileThenDownload(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	e.api.addFile("file-abc", "photos/file_0.jpg", 11, []byte("jpeg-bytes!"))
	m, err := e.a.FetchMedia(context.Background(), e.channel("tg1", testToken),
		adapters.Attachment{URL: "file-abc", Proxied: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Body.Close()
	b, err := io.ReadAll(m.Body)
	if err != nil || string(b) != "jpeg-bytes!" {
		t.Fatalf("body %q %v", b, err)
	}
	if m.ContentType != "image/jpeg" || m.Size != 11 {
		t.Fatalf("content type %q size %d", m.ContentType, m.Size)
	}
	if got := e.api.callsTo("getFile"); len(got) != 1 || got[0].Params.Get("file_id") != "file-abc" {
		t.Fatalf("getFile calls %+v", got)
	}
	dl := e.api.callsTo("file")
	if len(dl) != 1 || dl[0].Token != testToken || dl[0].Path != "photos/file_0.jpg" {
		t.Fatalf("downloads %+v: want /file/bot<token>/photos/file_0.jpg on the channel's API base", dl)
	}
}

func TestFetchMedia_TooLargeIs413(t *testing.T) {
	t.Parallel()
	is413 := func(t *testing.T, err error) {
		t.Helper()
		var he *adapters.HTTPError
		if !errors.As(err, &he) || he.Status != http.StatusRequestEntityTooLarge || he.Code != "media_too_large" {
			t.Fatalf("error %v, want 413 media_too_large", err)
		}
	}
	att := adapters.Attachment{URL: "big", Proxied: true}

	t.Run("file_size above the limit", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, httpHub)
		e.api.addFile("big", "documents/file_1.pdf", 21<<20, []byte("x"))
		_, err := e.a.FetchMedia(context.Background(), e.channel("tg1", testToken), att)
		is413(t, err)
		if n := len(e.api.callsTo("file")); n != 0 {
			t.Fatalf("%d downloads of a file known to be too large", n)
		}
	})
	t.Run("Telegram refuses getFile", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, httpHub)
		e.api.queue("getFile", errReply(400, "Bad Request: file is too big", 0))
		_, err := e.a.FetchMedia(context.Background(), e.channel("tg1", testToken), att)
		is413(t, err)
	})
	t.Run("download longer than announced", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, httpHub)
		e.a.cfg.MaxMediaBytes = 10
		e.api.addFile("big", "documents/file_2.bin", 0, []byte(strings.Repeat("z", 20)))
		_, err := e.a.FetchMedia(context.Background(), e.channel("tg1", testToken), att)
		is413(t, err)
	})
}

func TestFetchMedia_UnknownFileIs404(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	_, err := e.a.FetchMedia(context.Background(), e.channel("tg1", testToken), adapters.Attachment{URL: "nope", Proxied: true})
	var he *adapters.HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusNotFound || contains(err.Error(), testToken) {
		t.Fatalf("error %v, want 404", err)
	}
}
