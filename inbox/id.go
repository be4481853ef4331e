package inbox

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"strconv"
	"strings"
	"sync"
	"time"
)

const idAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

var idEncoding = base32.NewEncoding(idAlphabet).WithPadding(base32.NoPadding)

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
	return encodeID(ms, rx)
}

// encodeID writes 48 bits of time then 52 bits of counter: 100 bits, 20
// base32 characters.
func encodeID(ms, rx uint64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[0:8], ms<<16)
	binary.BigEndian.PutUint64(b[6:14], rx<<(64-randomBits))
	return strings.ToLower(idEncoding.EncodeToString(b[:13]))[:20]
}

// decodeID is encodeID's inverse; ok is false for a string that is not a
// 20-character id of that alphabet.
func decodeID(id string) (ms, rx uint64, ok bool) {
	if len(id) != 20 {
		return 0, 0, false
	}
	var hi, lo uint64 // the 100 bits: hi holds the top 36, lo the low 64
	for i := 0; i < len(id); i++ {
		d := strings.IndexByte(idAlphabet, id[i])
		if d < 0 {
			return 0, 0, false
		}
		hi = hi<<5 | lo>>59
		lo = lo<<5 | uint64(d)
	}
	return hi<<(64-randomBits) | lo>>randomBits, lo & (1<<randomBits - 1), true
}

// Bot reply ids (ReplyID). NewID's counter starts below 2^51 and counts up
// by the ids of one millisecond, so its bit 51 is never set in practice;
// reply ids set it, which keeps them out of NewID's space (no collision
// with another message of the same millisecond) and sorts them after every
// NewID id of their millisecond. Below it: the low bits of the customer
// message's counter (distinct for all ids of one millisecond and process),
// then the reply's index.
const (
	replyFlag       = 1 << (randomBits - 1)
	replyIndexBits  = 8
	replySourceBits = randomBits - 1 - replyIndexBits
)

// MaxReplyIndex is the largest index ReplyID derives an ordered id for.
const MaxReplyIndex = 1<<replyIndexBits - 1

// ReplyID returns the id of the index-th message the bot writes in answer
// to the customer message messageID. It is a pure function, so running the
// bot's turn again (after a crash, or for a provider retry racing the
// original) produces the same ids, and the store's primary key refuses the
// second copy of a reply (ErrDuplicate). The id has NewID's shape; it
// sorts after messageID and after every NewID id of the same millisecond,
// and replies sort by index. Messages stored later in the same
// conversation normally sort after it too, since they get ids of a later
// millisecond; a reply stored late (a turn finished after a crash) keeps
// its place right after the message it answers.
//
// For a messageID that is not a NewID id, or an index above MaxReplyIndex,
// the id is a hash: still deterministic and unique, in no particular order.
func ReplyID(messageID string, index int) string {
	ms, rx, ok := decodeID(messageID)
	if !ok || index < 0 || index > MaxReplyIndex {
		sum := sha256.Sum256([]byte(messageID + "\x00" + strconv.Itoa(index)))
		ms = binary.BigEndian.Uint64(sum[0:8]) >> 16
		rx = binary.BigEndian.Uint64(sum[8:16]) >> (64 - randomBits)
		return encodeID(ms, rx|replyFlag)
	}
	source := rx & (1<<replySourceBits - 1)
	return encodeID(ms, replyFlag|source<<replyIndexBits|uint64(index))
}
