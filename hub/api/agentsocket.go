package api

import (
	"context"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

// feedFrame is one frame of the agents' live feed.
type feedFrame struct {
	Type         inbox.ChangeKind  `json:"type"`
	Conversation *conversationView `json:"conversation,omitempty"`
	Message      *messageView      `json:"message,omitempty"`
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
		done := make(chan struct{})
		go func() {
			// Reading notices when the agent goes away and answers pings.
			defer close(done)
			conn.SetReadLimit(agentReadLimit)
			for {
				if _, _, err := conn.ReadMessage(); err != nil {
					return
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
			case <-ping.C:
				if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(agentWriteLimit)); err != nil {
					return
				}
			case ch, ok := <-changes:
				if !ok {
					return
				}
				if ch.Silent {
					continue
				}
				if err := conn.SetWriteDeadline(time.Now().Add(agentWriteLimit)); err != nil {
					return
				}
				if err := conn.WriteJSON(a.frame(names, ch)); err != nil {
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
	return frame
}
