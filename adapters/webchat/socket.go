package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"hub/adapters"
)

const (
	sendQueueLen   = 64               // frames buffered per socket before it is dropped
	writeWait      = 10 * time.Second // one frame write
	readTimeout    = 60 * time.Second // silence after which a socket is dead
	pingInterval   = 25 * time.Second // server WebSocket pings (browsers answer them)
	closeGrace     = 2 * time.Second  // wait for the peer's close frame
	deliverTimeout = 30 * time.Second // one Sink.Deliver from a socket
	localsVisitor  = "webchat.visitor"
)

var errSocketClosed = errors.New("webchat: socket closed")

// frame is one queued write. result, when set, receives the write's
// outcome (it has room for one value, so the writer never blocks on it).
type frame struct {
	data   []byte
	result chan error
}

// client is one open widget socket.
type client struct {
	channelID  string
	visitorID  string
	send       chan frame
	done       chan struct{} // closed by stop: the socket is to close
	readerDone chan struct{} // closed when the read loop has returned
	once       sync.Once
	closeCode  int // set once, before done is closed

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

func newClient(v visitor) *client {
	return &client{
		channelID:  v.channelID,
		visitorID:  v.visitorID,
		send:       make(chan frame, sendQueueLen),
		done:       make(chan struct{}),
		readerDone: make(chan struct{}),
	}
}

// stop asks the socket to close with code; the first call wins.
func (c *client) stop(code int) {
	c.once.Do(func() {
		c.closeCode = code
		close(c.done)
	})
}

// enqueue queues f without blocking. A socket whose queue is full is too
// slow (or dead): it is dropped, and the widget will reconnect and catch up.
func (c *client) enqueue(f frame) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.send <- f:
		return true
	case <-c.done:
		return false
	default:
		c.stop(websocket.CloseTryAgainLater)
		return false
	}
}

// handleSocketUpgrade checks the request before the upgrade, so a bad
// channel or token is an ordinary JSON error response.
func (a *Adapter) handleSocketUpgrade(c *fiber.Ctx) error {
	if !websocket.IsWebSocketUpgrade(c) {
		return adapters.Errorf(http.StatusUpgradeRequired, "upgrade_required", "this route needs a WebSocket upgrade")
	}
	ch, err := a.channel(c.UserContext(), strings.Clone(c.Query("channelId")))
	if err != nil {
		return err
	}
	v, ok := a.verifyToken(c.Query("token"), ch.ID)
	if !ok {
		return errTokenInvalid()
	}
	if a.isStopped() {
		return adapters.Errorf(http.StatusServiceUnavailable, "shutting_down", "server is shutting down; reconnect shortly")
	}
	c.Locals(localsVisitor, v)
	return c.Next()
}

// socketWriteBuffers are the frame-building buffers of every widget
// socket, shared: a socket holds one only while it writes a data frame.
var socketWriteBuffers = &sync.Pool{}

// socketHandler upgrades widget sockets. Most of them sit idle for hours
// (one per open page of the customer's site), so the buffers are sized for
// memory per socket rather than throughput:
//   - the read buffer is 1 KB, enough for a widget frame (page, ping, a
//     typical message); longer frames are read in several calls. With the
//     hub's server settings, reads also go through the 4 KB reader fasthttp
//     hands over with the connection.
//   - the write buffer comes from socketWriteBuffers instead of being owned
//     by each socket (4 KB each, for a visitor written to a few times a
//     day at most).
func (a *Adapter) socketHandler() fiber.Handler {
	return websocket.New(a.serveSocket, websocket.Config{
		HandshakeTimeout: 10 * time.Second,
		ReadBufferSize:   1024,
		WriteBufferSize:  4096,
		WriteBufferPool:  socketWriteBuffers,
	})
}

// serveSocket runs for the life of one socket. The contrib Conn is pooled
// and released when this returns, so every goroutine using it has ended by
// then.
func (a *Adapter) serveSocket(conn *websocket.Conn) {
	v, ok := conn.Locals(localsVisitor).(visitor)
	if !ok {
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseInternalServerErr, ""), time.Now().Add(writeWait))
		return
	}
	cl := newClient(v)
	if !a.register(cl) {
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "shutting down"), time.Now().Add(writeWait))
		return
	}
	defer a.live.Done()
	a.log.Debug("webchat: socket open", "channel", v.channelID, "visitor", v.visitorID)

	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		a.writeLoop(conn, cl)
	}()
	a.readLoop(conn, cl)
	close(cl.readerDone)

	cl.stop(websocket.CloseNormalClosure)
	a.unregister(cl)
	<-writerDone
	a.log.Debug("webchat: socket closed", "channel", v.channelID, "visitor", v.visitorID)
}

// writeLoop is the only writer of data frames on conn.
func (a *Adapter) writeLoop(conn *websocket.Conn, cl *client) {
	ticker := time.NewTicker(pingInterval)
	defer ticker.Stop()
	defer drain(cl)
	for {
		select {
		case f := <-cl.send:
			_ = conn.SetWriteDeadline(time.Now().Add(writeWait))
			err := conn.WriteMessage(websocket.TextMessage, f.data)
			if f.result != nil {
				f.result <- err
			}
			if err != nil {
				cl.stop(websocket.CloseAbnormalClosure)
				_ = conn.Close() // unblocks the reader
				return
			}
		case <-ticker.C:
			if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				cl.stop(websocket.CloseAbnormalClosure)
				_ = conn.Close()
				return
			}
		case <-cl.done:
			code := cl.closeCode
			if code != websocket.CloseAbnormalClosure {
				_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, ""), time.Now().Add(writeWait))
			}
			// Give the peer a moment to answer the close, then cut the
			// connection so the reader returns.
			grace := time.NewTimer(closeGrace)
			defer grace.Stop()
			select {
			case <-cl.readerDone:
			case <-grace.C:
				_ = conn.Close()
			}
			return
		}
	}
}

// drain fails the writes still queued on a closed socket so Send does not
// wait for them.
func drain(cl *client) {
	for {
		select {
		case f := <-cl.send:
			if f.result != nil {
				f.result <- errSocketClosed
			}
		default:
			return
		}
	}
}

// frameLimit is the largest frame read: a message of MaxTextChars with
// every character escaped (12 bytes for "\ud83d\ude00") and room for the
// other fields. A larger frame closes the socket with 1009.
func (a *Adapter) frameLimit() int64 { return int64(a.cfg.MaxTextChars)*12 + 4096 }

// readLoop reads the widget's frames until the socket fails or closes.
func (a *Adapter) readLoop(conn *websocket.Conn, cl *client) {
	conn.SetReadLimit(a.frameLimit())
	alive := func() { _ = conn.SetReadDeadline(time.Now().Add(readTimeout)) }
	alive()
	conn.SetPongHandler(func(string) error { alive(); return nil })
	conn.SetPingHandler(func(data string) error {
		alive()
		// A failed pong means a dead socket; the writer and the read
		// deadline notice that on their own.
		_ = conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeWait))
		return nil
	})
	for {
		mt, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		select {
		case <-cl.done:
			return
		default:
		}
		alive()
		a.touch(cl)
		if mt != websocket.TextMessage {
			cl.enqueue(frame{data: errorFrame("invalid_json", "frames must be JSON text", "")})
			continue
		}
		a.handleFrame(cl, data)
	}
}

// handleFrame answers one frame from the widget.
func (a *Adapter) handleFrame(cl *client, data []byte) {
	var f clientFrame
	if err := json.Unmarshal(data, &f); err != nil {
		cl.enqueue(frame{data: errorFrame("invalid_json", "frame is not valid JSON of the expected shape", "")})
		return
	}
	switch f.Type {
	case "ping":
		cl.enqueue(frame{data: pongFrame})
	case "page":
		if err := a.notePage(cl, f.URL, f.Title); err != nil {
			code, text := a.errorCode(err)
			cl.enqueue(frame{data: errorFrame(code, text, "")})
		}
	case "message":
		ctx, cancel := context.WithTimeout(context.Background(), deliverTimeout)
		msg, dup, err := a.deliver(ctx, cl.channelID, cl.visitorID, f.incoming)
		cancel()
		if err != nil {
			code, text := a.errorCode(err)
			cl.enqueue(frame{data: errorFrame(code, text, f.ClientID)})
			return
		}
		cl.enqueue(frame{data: ackFrame(f.ClientID, msg)})
		if !dup {
			a.broadcast(cl.channelID, cl.visitorID, messageFrame(msg), cl)
		}
	default:
		cl.enqueue(frame{data: errorFrame("unknown_type", "unknown frame type", "")})
	}
}

// errorCode maps an error to a socket error frame's code and message, the
// way the hub's HTTP error handler would.
func (a *Adapter) errorCode(err error) (string, string) {
	var coded interface {
		StatusCode() int
		ErrorCode() string
	}
	if errors.As(err, &coded) {
		return coded.ErrorCode(), err.Error()
	}
	a.log.Warn("webchat: storing a socket message failed", "err", err)
	return "internal_error", "the message could not be stored; please retry"
}
