package api

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

// feedFrame is one frame of the agents' live feed.
type feedFrame struct {
	Type         inbox.ChangeKind   `json:"type"`
	Conversation *conversationView  `json:"conversation,omitempty"`
	Message      *messageView       `json:"message,omitempty"`
	Agent        *agentJSON         `json:"agent,omitempty"`
	Chat         *inbox.ChatMessage `json:"chat,omitempty"`
}

const (
	agentPingEvery  = 25 * time.Second
	agentWriteLimit = 10 * time.Second
	agentReadLimit  = 4096
)

// agentSocket relays the workspace's changes to a logged-in agent. Changes
// of blocked (spam) contacts are not sent: nobody is notified of them.
// Private notes go to agents only, which is everyone on this feed.
func (a *API) agentSocket() fiber.Handler {
	upgrade := websocket.New(func(conn *websocket.Conn) {
		who, _ := conn.Locals("actor").(inbox.Actor)
		changes, cancel := a.feed.Subscribe(who.WorkspaceID)
		defer cancel()
		a.presence.connected(who)
		defer a.presence.disconnected(who)
		done := make(chan struct{})
		pings := make(chan struct{}, 1)
		go func() {
			// Reading notices when the agent goes away. A {"type":"ping"}
			// frame is answered with {"type":"pong"} by the writer below,
			// so a client knows its feed is live.
			defer close(done)
			conn.SetReadLimit(agentReadLimit)
			for {
				_, msg, err := conn.ReadMessage()
				if err != nil {
					return
				}
				var in struct{ Type string }
				if json.Unmarshal(msg, &in) == nil && in.Type == "ping" {
					select {
					case pings <- struct{}{}:
					default:
					}
				}
			}
		}()
		ping := time.NewTicker(agentPingEvery)
		defer ping.Stop()
		names := newChannelNames(a.store)
		for {
			select {
			case <-done:
				return
			case <-pings:
				if err := conn.SetWriteDeadline(time.Now().Add(agentWriteLimit)); err != nil {
					return
				}
				if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"pong"}`)); err != nil {
					return
				}
			case <-ping.C:
				if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(agentWriteLimit)); err != nil {
					return
				}
			case ch, ok := <-changes:
				if !ok {
					return
				}
				if ch.Silent || (ch.Chat != nil && !a.inRoom(who, ch.Chat.Room)) {
					continue
				}
				if err := conn.SetWriteDeadline(time.Now().Add(agentWriteLimit)); err != nil {
					return
				}
				data, err := a.encodeFrame(names, ch)
				if err != nil {
					a.log.Error("agent feed: encoding a frame", "type", ch.Kind, "err", err)
					continue
				}
				if err := conn.WriteMessage(websocket.TextMessage, data); err != nil {
					return
				}
			}
		}
	})
	return func(c *fiber.Ctx) error {
		if !websocket.IsWebSocketUpgrade(c) {
			return apiError(fiber.StatusUpgradeRequired, "upgrade_required", "this route speaks WebSocket")
		}
		c.Locals("actor", actor(c))
		return upgrade(c)
	}
}

// encodeFrame returns the change's frame as JSON, encoded once for all the
// sockets relaying it.
func (a *API) encodeFrame(names *channelNames, ch inbox.Change) ([]byte, error) {
	k, cacheable := keyOf(ch)
	if cacheable {
		if data, ok := a.frames.get(k); ok {
			return data, nil
		}
	}
	data, err := json.Marshal(a.frame(names, ch))
	if err == nil && cacheable {
		a.frames.put(k, data)
	}
	return data, err
}

func (a *API) frame(names *channelNames, ch inbox.Change) feedFrame {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	frame := feedFrame{Type: ch.Kind}
	if ch.Conversation != nil {
		v := names.conversation(ctx, ch.Conversation)
		frame.Conversation = &v
	}
	if ch.Message != nil {
		v := messageJSON(ch.Message)
		frame.Message = &v
	}
	if ch.Agent != nil {
		v := agentView(ch.Agent)
		frame.Agent = &v
	}
	frame.Chat = ch.Chat
	return frame
}

// inRoom keeps team chat private to the room's members.
func (a *API) inRoom(who inbox.Actor, room string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return a.svc.CanChat(ctx, who, room) == nil
}
