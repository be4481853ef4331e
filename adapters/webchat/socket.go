package webchat

import (
	"context"
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
	deliverTimeout = 30 * time.Second // one Sink.Deliver from a socket
	localsVisitor  = "webchat.visitor"
)

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
//   - the read buffer is 256 bytes: the library needs room for a frame
//     header and a control frame (125 bytes at most) there; a data frame
//     longer than what is buffered is read in several calls, which costs
//     no system calls, as reads go through the 4 KB reader fasthttp
//     hands over with the connection anyway.
//   - the write buffer comes from socketWriteBuffers instead of being owned
//     by each socket (4 KB each, for a visitor written to a few times a
//     day at most).
func (a *Adapter) socketHandler() fiber.Handler {
	return websocket.New(a.serveSocket, websocket.Config{
		HandshakeTimeout: 10 * time.Second,
		ReadBufferSize:   256,
		WriteBufferSize:  4096,
		WriteBufferPool:  socketWriteBuffers,
	})
}

// serveSocket runs for the life of one socket, as its only goroutine
// (see client.go). The contrib Conn is pooled and released when this
// returns, so detach waits for the writes other goroutines have in flight.
func (a *Adapter) serveSocket(conn *websocket.Conn) {
	v, ok := conn.Locals(localsVisitor).(visitor)
	if !ok {
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseInternalServerErr, ""), time.Now().Add(writeWait))
		return
	}
	cl := newClient(v, conn)
	if !a.register(cl) {
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "shutting down"), time.Now().Add(writeWait))
		return
	}
	// Deferred, so that a panic (recovered by the contrib handler) does not
	// leave the client registered with a Conn that goes back to the pool.
	defer func() {
		a.unregister(cl)
		cl.detach()
		a.live.Done()
		a.log.Debug("webchat: socket closed", "channel", v.channelID, "visitor", v.visitorID)
	}()
	a.log.Debug("webchat: socket open", "channel", v.channelID, "visitor", v.visitorID)
	a.readLoop(conn, cl)
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
		// A failed pong means a dead socket; the pings and the read
		// deadline notice that on their own.
		_ = conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeWait))
		return nil
	})
	for {
		mt, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if cl.stopped.Load() {
			return
		}
		alive()
		a.touch(cl)
		if mt != websocket.TextMessage {
			_ = cl.write(errorFrame("invalid_json", "frames must be JSON text", ""))
			continue
		}
		a.handleFrame(cl, data)
	}
}

// handleFrame answers one frame from the widget.
func (a *Adapter) handleFrame(cl *client, data []byte) {
	f, err := decodeFrame(data)
	if err != nil {
		_ = cl.write(errorFrame("invalid_json", "frame is not valid JSON of the expected shape", ""))
		return
	}
	switch f.Type {
	case "ping":
		_ = cl.write(pongFrame)
	case "page":
		if err := a.notePage(cl, f.URL, f.Title); err != nil {
			code, text := a.errorCode(err)
			_ = cl.write(errorFrame(code, text, ""))
		}
	case "message":
		a.handleMessage(cl, f.incoming)
	default:
		_ = cl.write(errorFrame("unknown_type", "unknown frame type", ""))
	}
}

// handleMessage stores a visitor's message, acks it and shows it in the
// visitor's other tabs. It is a function of its own so that its locals do
// not weigh on the stack of the frames idle sockets send (see decode.go).
func (a *Adapter) handleMessage(cl *client, in incoming) {
	ctx, cancel := context.WithTimeout(context.Background(), deliverTimeout)
	msg, dup, err := a.deliver(ctx, cl.channelID, cl.visitorID, in)
	cancel()
	if err != nil {
		code, text := a.errorCode(err)
		_ = cl.write(errorFrame(code, text, in.ClientID))
		return
	}
	_ = cl.write(ackFrame(in.ClientID, msg))
	if !dup {
		a.broadcast(cl.channelID, cl.visitorID, messageFrame(msg), cl)
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
