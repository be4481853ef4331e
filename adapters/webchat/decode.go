package webchat

import (
	"encoding/json"
	"runtime"
	"sync"
)

// Widget frames are decoded on a few goroutines shared by every socket,
// not on the socket's reader. encoding/json needs about 2 KB of stack to
// decode a frame, which takes a reader past its first 4 KB: the runtime
// then doubles its stack to 8 KB, and it stays 8 KB while the socket idles,
// since a stack is only shrunk while less than a quarter of it is in use
// and a reader parked in ReadMessage uses more than 2 KB. As every widget
// sends a page frame on connect, that would be 4 KB more per socket.
// Handing a frame over costs two channel operations; the reader waits for
// the result, so frames are still handled one at a time and in order.
// What else a page or ping frame does on the reader (presence, the pong)
// fits in the 4 KB with about 1.5 KB to spare, measured; a visitor's
// message goes deeper (it is stored), so a visitor who writes keeps a
// larger stack, but most sockets never carry one.
//
// The decoders are started on first use and live as long as the process,
// like a pool: they hold nothing but an idle goroutine each.

// decodeJob is one frame to decode; done receives when f and err are set.
type decodeJob struct {
	data []byte
	f    clientFrame
	err  error
	done chan struct{}
}

var (
	decodeJobs     = make(chan *decodeJob)
	decodersOnce   sync.Once
	decodeJobsFree = sync.Pool{New: func() any { return &decodeJob{done: make(chan struct{}, 1)} }}
)

// decodeFrame unmarshals one widget frame on a shared decoder goroutine.
func decodeFrame(data []byte) (clientFrame, error) {
	decodersOnce.Do(func() {
		for range runtime.GOMAXPROCS(0) {
			go decodeLoop()
		}
	})
	j := decodeJobsFree.Get().(*decodeJob)
	j.data = data
	decodeJobs <- j
	<-j.done
	f, err := j.f, j.err
	*j = decodeJob{done: j.done}
	decodeJobsFree.Put(j)
	return f, err
}

func decodeLoop() {
	for j := range decodeJobs {
		j.err = json.Unmarshal(j.data, &j.f)
		j.done <- struct{}{}
	}
}
