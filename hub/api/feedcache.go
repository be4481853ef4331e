package api

import (
	"sync"

	"hub/inbox"
)

// frameCacheSize is how many recent changes keep their encoded frame: a
// change reaches all of a workspace's agent sockets within moments.
const frameCacheSize = 64

// frameCache shares one encoding of a change among the agent sockets that
// relay it, instead of building and encoding the same frame once per
// agent (every agent of a workspace gets every change). A change is known
// by its kind and the records it points to: the bus hands every subscriber
// the same pointers, and the cache holding them keeps them from being
// reused for another change while the entry lives. Only changes carrying a
// message, chat message or agent are cached: the service emits those as a
// fresh copy each time, while a conversation may be emitted again, changed,
// through the same pointer.
type frameCache struct {
	mu   sync.Mutex
	ring [frameCacheSize]frameEntry
	next int
}

type frameKey struct {
	kind  inbox.ChangeKind
	conv  *inbox.Conversation
	msg   *inbox.Message
	agent *inbox.Agent
	chat  *inbox.ChatMessage
}

type frameEntry struct {
	key  frameKey
	data []byte
}

// keyOf returns the change's key, or false for a change that is not
// cached.
func keyOf(ch inbox.Change) (frameKey, bool) {
	k := frameKey{kind: ch.Kind, conv: ch.Conversation, msg: ch.Message, agent: ch.Agent, chat: ch.Chat}
	return k, k.msg != nil || k.agent != nil || k.chat != nil
}

func (c *frameCache) get(k frameKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.ring {
		if c.ring[i].data != nil && c.ring[i].key == k {
			return c.ring[i].data, true
		}
	}
	return nil, false
}

func (c *frameCache) put(k frameKey, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ring[c.next] = frameEntry{key: k, data: data}
	c.next = (c.next + 1) % frameCacheSize
}
