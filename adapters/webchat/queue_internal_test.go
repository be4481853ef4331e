package webchat

import (
	"testing"

	"github.com/gofiber/contrib/websocket"
)

func TestClient_FullQueueDropsTheSocketInsteadOfBlocking(t *testing.T) {
	cl := newClient(visitor{channelID: "ch1", visitorID: "v1"})
	for i := 0; i < sendQueueLen; i++ {
		if !cl.enqueue(frame{data: []byte("{}")}) {
			t.Fatalf("frame %d refused before the queue was full", i)
		}
	}
	if cl.enqueue(frame{data: []byte("{}")}) {
		t.Fatal("frame accepted on a full queue")
	}
	select {
	case <-cl.done:
	default:
		t.Fatal("slow socket not stopped")
	}
	if cl.closeCode != websocket.CloseTryAgainLater {
		t.Fatalf("close code %d", cl.closeCode)
	}
	if cl.enqueue(frame{data: []byte("{}")}) {
		t.Fatal("frame accepted on a stopped socket")
	}
}
