package inbox

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"strings"
	"time"
)

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns a 20-character identifier whose lexical order follows
// creation time (48 bits of Unix milliseconds, then 52 random bits), so
// stores can sort and paginate by id.
func NewID() string { return newIDAt(time.Now()) }

func newIDAt(t time.Time) string {
	var b [13]byte
	ms := uint64(t.UnixMilli())
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], ms)
	copy(b[:6], ts[2:])
	_, _ = rand.Read(b[6:])
	return strings.ToLower(idEncoding.EncodeToString(b[:]))[:20]
}
