package adapters

import (
	"io"
	"net/http"
)

// MediaTooLarge is the 413 media_too_large answer for media above limit
// bytes.
func MediaTooLarge(limit int64) *HTTPError {
	return Errorf(http.StatusRequestEntityTooLarge, "media_too_large", "the media is larger than %d bytes", limit)
}

// CapBody passes at most limit bytes of rc through. A stream holding
// more fails with MediaTooLarge(limit) instead of going on (a server that
// lied about the size, or gave none); one ending exactly at limit is
// fine. Closing it closes rc.
func CapBody(rc io.ReadCloser, limit int64) io.ReadCloser {
	return &cappedBody{rc: rc, left: limit, limit: limit}
}

type cappedBody struct {
	rc    io.ReadCloser
	left  int64
	limit int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if b.left <= 0 {
		// At the cap: one more byte is one too many; a clean end is fine.
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, MediaTooLarge(b.limit)
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *cappedBody) Close() error { return b.rc.Close() }
