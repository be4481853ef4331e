package inbox

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"strings"
	"sync"
	"time"
)

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// ids makes NewID monotonic within a process: two ids made in the same
// millisecond still sort in the order they were made, so events and
// messages written in one burst keep their order.
var ids struct {
	sync.Mutex
	lastMS uint64
	lastRx uint64
}

// NewID returns a 20-character identifier whose lexical order follows
// creation time (48 bits of Unix milliseconds, then 52 bits that are random
// for the first id of a millisecond and counted up after it), so stores
// can sort and paginate by id.
func NewID() string { return newIDAt(time.Now()) }

const randomBits = 52

func newIDAt(t time.Time) string {
	ms := uint64(t.UnixMilli())
	ids.Lock()
	if ms <= ids.lastMS {
		ms = ids.lastMS
		ids.lastRx++
		if ids.lastRx >= 1<<randomBits {
			ms++
			ids.lastRx = 0
		}
	} else {
		var r [8]byte
		_, _ = rand.Read(r[:])
		// Leave headroom so counting up within a millisecond never overflows.
		ids.lastRx = binary.BigEndian.Uint64(r[:]) >> (64 - randomBits + 1)
	}
	ids.lastMS = ms
	rx := ids.lastRx
	ids.Unlock()

	// 48 bits of time then 52 bits of counter: 100 bits, 20 base32 characters.
	var b [16]byte
	binary.BigEndian.PutUint64(b[0:8], ms<<16)
	binary.BigEndian.PutUint64(b[6:14], rx<<(64-randomBits))
	return strings.ToLower(idEncoding.EncodeToString(b[:13]))[:20]
}
