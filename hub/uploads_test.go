package hub_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"hub/hub/api"
	"hub/inbox"
)

// tinyPNG is a valid 2×2 PNG.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type uploadJSON struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
}

// upload posts a file as the multipart field "file".
func (th *testHub) upload(token, name string, data []byte) response {
	th.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		th.t.Fatal(err)
	}
	if _, err := part.Write(data); err != nil {
		th.t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		th.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", th.base+"/api/v1/uploads", &body)
	if err != nil {
		th.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	return th.send(req)
}

func TestUpload_ReplyReachesTheWidgetByPublicLink(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	pic := tinyPNG(t)

	var up uploadJSON
	res := th.upload(admin, "room.png", pic)
	if res.status != 201 {
		t.Fatalf("upload: %d %s", res.status, res.body)
	}
	res.json(t, &up)
	if up.ID == "" || up.ContentType != "image/png" || up.Size != int64(len(pic)) || up.Name != "room.png" {
		t.Fatalf("upload answer: %+v", up)
	}
	if !strings.HasPrefix(up.URL, th.base+"/files/"+th.demo.Workspace.ID+"/"+up.ID+"/") {
		t.Fatalf("public url: %s", up.URL)
	}

	v := th.newVisitor(th.demo.Channel.ID)
	convID := v.say("Can I see the room?").ConversationID
	th.must(201, "POST", "/api/v1/conversations/"+convID+"/messages", admin,
		map[string]any{"text": "", "attachments": []map[string]string{{"uploadId": up.ID}}})
	// A private note may carry the file too.
	th.must(201, "POST", "/api/v1/conversations/"+convID+"/messages", admin,
		map[string]any{"text": "for us", "private": true, "attachments": []map[string]string{{"uploadId": up.ID}}})

	var history struct {
		Items []struct {
			Direction   string
			Private     bool
			Attachments []struct{ URL, ContentType, Name string }
		}
	}
	th.must(200, "GET", "/api/v1/widget/"+v.channel+"/messages", v.token, nil).json(t, &history)
	var found int
	for _, m := range history.Items {
		if m.Private {
			t.Fatal("the widget shows a private note")
		}
		for _, a := range m.Attachments {
			if a.URL != up.URL || a.ContentType != "image/png" || a.Name != "room.png" || m.Direction != "out" {
				t.Fatalf("widget attachment: %+v", a)
			}
			found++
		}
	}
	if found != 1 {
		t.Fatalf("widget history has %d attachments: %+v", found, history.Items)
	}

	// No session: the link alone opens the file.
	got, err := http.Get(up.URL)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if got.StatusCode != 200 || !bytes.Equal(raw, pic) || got.Header.Get("Content-Type") != "image/png" ||
		got.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(got.Header.Get("Content-Disposition"), "inline") ||
		!strings.Contains(got.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("public file: %d %v (%d bytes)", got.StatusCode, got.Header, len(raw))
	}

	// A tampered signature is not found.
	sig := up.URL[strings.LastIndex(up.URL, "/")+1:]
	flipped := "A"
	if sig[0] == 'A' {
		flipped = "B"
	}
	path := strings.TrimPrefix(up.URL, th.base)
	tampered := path[:len(path)-len(sig)] + flipped + sig[1:]
	if r := th.do("GET", tampered, "", nil); r.status != 404 || r.errorCode() != "file_not_found" {
		t.Fatalf("tampered link: %d %s", r.status, r.body)
	}
}

func TestUpload_Refusals(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)

	big := append(tinyPNG(t), make([]byte, api.MaxUploadBytes)...)
	if r := th.upload(admin, "big.png", big); r.status != 413 || r.errorCode() != "file_too_large" {
		t.Fatalf("too large: %d %s", r.status, r.body)
	}
	if r := th.upload(admin, "setup.exe", []byte("MZ\x90\x00\x03\x00\x00\x00")); r.status != 415 || r.errorCode() != "unsupported_type" {
		t.Fatalf("exe: %d %s", r.status, r.body)
	}
	// A name that lies about the content is refused too.
	if r := th.upload(admin, "photo.png", []byte("%PDF-1.4\n")); r.status != 415 {
		t.Fatalf("pdf named png: %d %s", r.status, r.body)
	}
	if r := th.upload("", "room.png", tinyPNG(t)); r.status != 401 {
		t.Fatalf("no session: %d", r.status)
	}

	// Another workspace's upload is unknown here.
	ctx := context.Background()
	svc := th.hub.Service()
	wsB, err := svc.CreateWorkspace(ctx, "Other Hotel")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := api.HashPassword(adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	email, name, role := "b@other.test", "B", inbox.RoleAdmin
	if _, err := svc.NewAgent(ctx, wsB.ID, inbox.AgentInput{Email: &email, Name: &name, Role: &role, PasswordHash: &hash}); err != nil {
		t.Fatal(err)
	}
	other := th.login(email, adminPassword)
	var upB uploadJSON
	res := th.upload(other, "notes.txt", []byte("other hotel's notes\n"))
	if res.status != 201 {
		t.Fatalf("upload B: %d %s", res.status, res.body)
	}
	res.json(t, &upB)
	if upB.ContentType != "text/plain; charset=utf-8" {
		t.Fatalf("text type: %+v", upB)
	}
	convID := th.newVisitor(th.demo.Channel.ID).say("Hello").ConversationID
	for _, id := range []string{upB.ID, "nope", "../../secret"} {
		r := th.do("POST", "/api/v1/conversations/"+convID+"/messages", admin,
			map[string]any{"text": "see", "attachments": []map[string]string{{"uploadId": id}}})
		if r.status != 400 || r.errorCode() != "invalid_attachment" {
			t.Fatalf("upload %q: %d %s", id, r.status, r.body)
		}
	}
}
