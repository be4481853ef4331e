package webchat

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/contrib/websocket"
)

// An idle widget socket costs one goroutine, its reader (the one fiber
// runs the handler on), and no other: most sockets sit idle for hours, one
// per open page of the customer's site, and every goroutine, channel and
// timer is memory each of them holds. So data frames are written on the
// goroutine that has them (Send, a broadcast, the reader answering its
// own frame), pings for all sockets come from one loop per adapter
// (pingLoop), and a closing socket's grace period is a timer that only
// exists while it closes.

const (
	writeWait    = 10 * time.Second // one data frame write
	controlWait  = time.Second      // one ping or close frame write
	readTimeout  = 60 * time.Second // silence after which a socket is dead
	pingInterval = 25 * time.Second // server WebSocket pings (browsers answer them)
	// pingSlices spreads each round of pings over pingInterval: every
	// pingInterval/pingSlices, the sockets of one slice are pinged.
	pingSlices = 25
	closeGrace = 2 * time.Second // wait for the peer's close frame
)

var errSocketClosed = errors.New("webchat: socket closed")

// wsConn is what a client uses of its socket (a *websocket.Conn; a fake in
// the in-process tests).
type wsConn interface {
	SetWriteDeadline(t time.Time) error
	WriteMessage(messageType int, data []byte) error
	WriteControl(messageType int, data []byte, deadline time.Time) error
	Close() error
}

// client is one open widget socket.
type client struct {
	channelID string
	visitorID string

	// conn is the socket until its handler returns; the contrib Conn is
	// pooled and reused after that, so everyone but the reader uses conn
	// under connMu's read lock, and the handler clears it under the write
	// lock (detach), which waits for the writes in flight.
	connMu sync.RWMutex
	conn   wsConn
	grace  *time.Timer // set by stop when a close frame went out
	// writeMu makes data frames one writer at a time, as gorilla requires
	// (control frames and Close may come concurrently). Frames go out in
	// the order their writes were called, as a queue would send them.
	writeMu   sync.Mutex
	once      sync.Once
	stopped   atomic.Bool // set by stop: later writes fail fast
	closeCode int         // set once, before stopped
	pingSlot  uint8       // which slice of each ping round pings it

	// Presence, guarded by Adapter.mu.
	openedAt   time.Time // the visitor's arrival (kept across a quick return)
	lastFrame  time.Time
	page       string
	title      string
	pageAt     time.Time // on page since
	pageSeq    uint64    // order of the latest page frame
	prevPage   string    // the page of a visitor back within returnWindow
	prevPageAt time.Time
}

func newClient(v visitor, conn wsConn) *client {
	return &client{channelID: v.channelID, visitorID: v.visitorID, conn: conn}
}

// write sends one data frame on the caller's goroutine and returns the
// outcome. A socket that cannot take the frame within writeWait (or
// fails) is dropped, and the widget reconnects and catches up with
// GET .../messages; a stopped or dropped socket fails at once, so callers
// lined up behind a stuck write do not wait again. That wait, up to
// writeWait, is what having no queue and writer goroutine per socket
// costs: a healthy socket takes a frame in microseconds (the kernel
// buffers it), so only a socket that stopped reading holds a caller, and
// the hub's Send already allows for a slow provider.
func (c *client) write(data []byte) error {
	if c.stopped.Load() {
		return errSocketClosed
	}
	c.connMu.RLock()
	err := errSocketClosed
	if c.conn != nil {
		c.writeMu.Lock()
		if !c.stopped.Load() {
			_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			err = c.conn.WriteMessage(websocket.TextMessage, data)
		}
		c.writeMu.Unlock()
	}
	c.connMu.RUnlock()
	if err != nil && err != errSocketClosed {
		if c.stopped.Load() {
			// Closing already (a close frame went out, so gorilla
			// refuses data): the grace timer ends it.
			return errSocketClosed
		}
		c.drop()
	}
	return err
}

// ping sends a WebSocket ping; a socket that cannot take one is dropped.
// A socket busy with a data frame is skipped: that write ends in success
// or a drop on its own, and the next round pings it (two rounds fit in
// readTimeout).
func (c *client) ping() {
	if c.stopped.Load() {
		return
	}
	var err error
	c.connMu.RLock() // always before writeMu, as in write
	if c.conn != nil && c.writeMu.TryLock() {
		err = c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(controlWait))
		c.writeMu.Unlock()
	}
	c.connMu.RUnlock()
	if err != nil {
		c.drop()
	}
}

// stop closes the socket with code; the first call wins. Unless the code
// is CloseAbnormalClosure (no close frame: the socket failed), the close
// frame goes out and the peer gets closeGrace to answer before the
// connection is cut, which makes the reader return.
func (c *client) stop(code int) { c.stopBy(code, time.Now().Add(controlWait)) }

// stopBy is stop with the close frame written by deadline, so shutting
// down many sockets (Run) waits controlWait at most in all; a socket whose
// close frame cannot go out by then is cut without one.
func (c *client) stopBy(code int, deadline time.Time) {
	c.once.Do(func() {
		c.closeCode = code
		c.stopped.Store(true)
		c.connMu.RLock()
		defer c.connMu.RUnlock()
		if c.conn == nil {
			return
		}
		if code != websocket.CloseAbnormalClosure &&
			c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, ""), deadline) == nil {
			c.grace = time.AfterFunc(closeGrace, c.cut)
			return
		}
		_ = c.conn.Close()
	})
}

// cut closes the connection now: the reader's read fails and it returns.
func (c *client) cut() {
	c.connMu.RLock()
	if c.conn != nil {
		_ = c.conn.Close()
	}
	c.connMu.RUnlock()
}

// drop ends a socket that failed a write or a ping, at once.
func (c *client) drop() {
	c.stop(websocket.CloseAbnormalClosure)
	c.cut()
}

// detach is the handler's last step, once the reader has returned: the
// socket is stopped (with a close frame if none went out yet), and when
// the writes in flight are done, conn is forgotten.
func (c *client) detach() {
	c.stop(websocket.CloseNormalClosure)
	c.connMu.Lock()
	c.conn = nil
	if c.grace != nil {
		c.grace.Stop()
	}
	c.connMu.Unlock()
}

// pingLoop pings every socket once per pingInterval until done is closed,
// one slice of them at a time (pingSlot, given out in turn by register),
// so 10,000 sockets are not pinged in one burst. It runs on Run's
// goroutine: one for all sockets instead of a ticker each.
func (a *Adapter) pingLoop(done <-chan struct{}) {
	t := time.NewTicker(pingInterval / pingSlices)
	defer t.Stop()
	var batch []*client
	for slot := uint8(0); ; slot = (slot + 1) % pingSlices {
		select {
		case <-done:
			return
		case <-t.C:
		}
		batch = a.pingBatch(batch[:0], slot)
		for _, cl := range batch {
			cl.ping()
		}
		clear(batch) // keep no closed client alive until the next round
	}
}

// pingBatch appends the sockets of one slice to batch.
func (a *Adapter) pingBatch(batch []*client, slot uint8) []*client {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, visitors := range a.conns {
		for _, set := range visitors {
			for cl := range set {
				if cl.pingSlot == slot {
					batch = append(batch, cl)
				}
			}
		}
	}
	return batch
}
