package webchat

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/contrib/websocket"

	"hub/adapters/internal/adapterstest"
)

// fakeConn records what a client writes to its socket.
type fakeConn struct {
	mu       sync.Mutex
	data     [][]byte
	controls []int // message types of the control frames
	closes   [][]byte
	closed   int
	deadline time.Time // of the last data frame

	writeErr, controlErr error
	// entered and release, when set, hold WriteMessage: it signals entered
	// and waits for release.
	entered, release chan struct{}
}

func (f *fakeConn) SetWriteDeadline(t time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deadline = t
	return nil
}

func (f *fakeConn) WriteMessage(_ int, data []byte) error {
	if f.release != nil {
		f.entered <- struct{}{}
		<-f.release
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.writeErr != nil {
		return f.writeErr
	}
	f.data = append(f.data, slices.Clone(data))
	return nil
}

func (f *fakeConn) WriteControl(mt int, data []byte, _ time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.controlErr != nil {
		return f.controlErr
	}
	f.controls = append(f.controls, mt)
	if mt == websocket.CloseMessage {
		f.closes = append(f.closes, slices.Clone(data))
	}
	return nil
}

func (f *fakeConn) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed++
	return nil
}

func (f *fakeConn) frames() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.data)
}

func (f *fakeConn) state() (controls []int, closes [][]byte, closed int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.controls), slices.Clone(f.closes), f.closed
}

var testVisitor = visitor{channelID: "ch1", visitorID: "v1"}

func TestClient_WriteHasADeadlineAndAFailedWriteDropsTheSocket(t *testing.T) {
	fc := &fakeConn{}
	cl := newClient(testVisitor, fc)
	if err := cl.write([]byte("{}")); err != nil {
		t.Fatal(err)
	}
	if d := time.Until(fc.deadline); d <= 0 || d > writeWait {
		t.Fatalf("write deadline in %s, want within %s", d, writeWait)
	}

	fc.writeErr = errors.New("i/o timeout")
	if err := cl.write([]byte("{}")); err != fc.writeErr {
		t.Fatalf("failed write returned %v", err)
	}
	if !cl.stopped.Load() || cl.closeCode != websocket.CloseAbnormalClosure {
		t.Fatalf("slow socket not stopped (code %d)", cl.closeCode)
	}
	// No close frame on a failed socket: it is cut at once, which ends
	// its reader.
	if controls, _, closed := fc.state(); len(controls) != 0 || closed == 0 {
		t.Fatalf("controls %v, closed %d", controls, closed)
	}

	fc.writeErr = nil
	if err := cl.write([]byte("{}")); err != errSocketClosed {
		t.Fatalf("write on a dropped socket: %v", err)
	}
	if n := len(fc.frames()); n != 1 {
		t.Fatalf("%d frames written", n)
	}
}

func TestClient_StopSendsTheCodeAndCutsAfterTheGrace(t *testing.T) {
	fc := &fakeConn{}
	cl := newClient(testVisitor, fc)
	cl.stop(websocket.CloseTryAgainLater)
	cl.stop(websocket.CloseGoingAway) // the first call wins
	if err := cl.write([]byte("{}")); err != errSocketClosed {
		t.Fatalf("write on a closing socket: %v", err)
	}
	_, closes, closed := fc.state()
	if len(closes) != 1 || string(closes[0]) != string(websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "")) || closed != 0 {
		t.Fatalf("close frames %q, closed %d: want one 1013 frame and the peer given time to answer", closes, closed)
	}
	adapterstest.Eventually(t, "connection cut after the grace", func() bool {
		_, _, closed := fc.state()
		return closed == 1
	})
}

func TestClient_DetachWaitsForTheWriteInFlightAndForgetsTheConn(t *testing.T) {
	fc := &fakeConn{entered: make(chan struct{}), release: make(chan struct{})}
	cl := newClient(testVisitor, fc)
	wrote := make(chan error, 1)
	go func() { wrote <- cl.write([]byte("{}")) }()
	<-fc.entered

	detached := make(chan struct{})
	go func() {
		cl.detach()
		close(detached)
	}()
	select {
	case <-detached:
		t.Fatal("detach returned while a write was in flight")
	case <-time.After(50 * time.Millisecond):
	}
	close(fc.release)
	<-detached
	if err := <-wrote; err != nil {
		t.Fatalf("the write in flight: %v", err)
	}
	if err := cl.write([]byte("{}")); err != errSocketClosed {
		t.Fatalf("write after detach: %v", err)
	}
	cl.ping()
	cl.cut() // what the grace timer would do
	if controls, closes, closed := fc.state(); len(controls) != 1 || len(closes) != 1 || closed != 0 {
		t.Fatalf("after detach: controls %v, closed %d; want only the close frame", controls, closed)
	}
}

func TestPings_EverySocketOncePerRoundAndAFailedPingDrops(t *testing.T) {
	a, _ := newFuzzAdapter()
	var fakes []*fakeConn
	var clients []*client
	for range 2*pingSlices + 3 {
		fc := &fakeConn{}
		cl := newClient(testVisitor, fc)
		if !a.register(cl) {
			t.Fatal("register refused")
		}
		fakes, clients = append(fakes, fc), append(clients, cl)
	}
	fakes[1].controlErr = errors.New("broken pipe")

	var batch []*client
	for slot := range uint8(pingSlices) {
		batch = a.pingBatch(batch[:0], slot)
		if len(batch) < 2 || len(batch) > 3 {
			t.Fatalf("slot %d pings %d sockets, want them spread evenly", slot, len(batch))
		}
		for _, cl := range batch {
			cl.ping()
		}
	}
	for i, fc := range fakes {
		controls, _, closed := fc.state()
		if i == 1 {
			if !clients[i].stopped.Load() || clients[i].closeCode != websocket.CloseAbnormalClosure || closed == 0 {
				t.Fatalf("socket with a failed ping: stopped %v code %d closed %d", clients[i].stopped.Load(), clients[i].closeCode, closed)
			}
			continue
		}
		if !slices.Equal(controls, []int{websocket.PingMessage}) || closed != 0 || clients[i].stopped.Load() {
			t.Fatalf("socket %d: controls %v, closed %d", i, controls, closed)
		}
	}
}

func TestPings_SkipASocketBusyWritingAndTheLoopEnds(t *testing.T) {
	fc := &fakeConn{entered: make(chan struct{}), release: make(chan struct{})}
	cl := newClient(testVisitor, fc)
	go func() { _ = cl.write([]byte("{}")) }()
	<-fc.entered
	cl.ping() // must not wait for the write
	close(fc.release)
	if controls, _, _ := fc.state(); len(controls) != 0 {
		t.Fatalf("pinged during a write: %v", controls)
	}

	a, _ := newFuzzAdapter()
	done := make(chan struct{})
	returned := make(chan struct{})
	go func() {
		a.pingLoop(done)
		close(returned)
	}()
	close(done)
	select {
	case <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("pingLoop did not return")
	}
}
