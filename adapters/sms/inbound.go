package sms

import (
	"mime"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
)

// maxMedia bounds NumMedia; Twilio sends at most 10 media per message.
const maxMedia = 20

// handleInbound takes a message a customer sent to the channel's number.
func (a *Adapter) handleInbound(c *fiber.Ctx) error {
	w, err := a.authenticate(c)
	if err != nil {
		return err
	}
	in, err := a.inbound(w.ch.ID, w.form)
	if err != nil {
		return err
	}
	receipt, err := a.sink.Deliver(c.UserContext(), in)
	if err != nil {
		return a.sinkError(w.ch, "deliver", err)
	}
	a.log.Debug("sms: message received", "channel", w.ch.ID, "sid", in.ExternalID,
		"media", len(in.Attachments), "optOut", string(in.OptOut), "duplicate", receipt.Duplicate)
	return replyEmpty(c)
}

// inbound reads an authenticated incoming-message form.
func (a *Adapter) inbound(channelID string, form url.Values) (adapters.Inbound, error) {
	sid := form.Get("MessageSid")
	from := form.Get("From")
	if sid == "" || from == "" {
		return adapters.Inbound{}, errInvalidRequest("MessageSid and From are required")
	}
	attachments, err := mediaAttachments(form)
	if err != nil {
		return adapters.Inbound{}, err
	}
	body := form.Get("Body")
	return adapters.Inbound{
		ChannelID:     channelID,
		ExternalID:    sid,
		ContactHandle: from,
		Text:          body,
		Attachments:   attachments,
		ReceivedAt:    a.now().UTC(),
		OptOut:        optOut(form, body),
	}, nil
}

// mediaAttachments reads NumMedia, MediaUrl<i> and MediaContentType<i>.
func mediaAttachments(form url.Values) ([]adapters.Attachment, error) {
	raw := strings.TrimSpace(form.Get("NumMedia"))
	if raw == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 || n > maxMedia {
		return nil, errInvalidRequest("NumMedia is not a valid count")
	}
	var out []adapters.Attachment
	for i := range n {
		idx := strconv.Itoa(i)
		u := form.Get("MediaUrl" + idx)
		if u == "" {
			return nil, errInvalidRequest("MediaUrl" + idx + " is missing")
		}
		ct := form.Get("MediaContentType" + idx)
		out = append(out, adapters.Attachment{
			URL:         u,
			ContentType: ct,
			Name:        "media-" + idx + extension(ct),
			Proxied:     true,
		})
	}
	return out, nil
}

// Opt-out keywords Twilio's standard handling recognises.
var (
	stopWords  = []string{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
	startWords = []string{"START", "YES", "UNSTOP"}
)

// optOut is Twilio's OptOutType when it sent one (Advanced Opt-Out),
// otherwise what the body's keyword asks for. HELP and INFO need nothing
// from the hub: Twilio answers them.
func optOut(form url.Values, body string) adapters.OptOut {
	if kind, ok := form["OptOutType"]; ok {
		switch strings.ToUpper(strings.TrimSpace(firstOf(kind))) {
		case "STOP":
			return adapters.OptOutStop
		case "START":
			return adapters.OptOutStart
		}
		return ""
	}
	word := strings.ToUpper(strings.TrimSpace(body))
	for _, w := range stopWords {
		if word == w {
			return adapters.OptOutStop
		}
	}
	for _, w := range startWords {
		if word == w {
			return adapters.OptOutStart
		}
	}
	return ""
}

func firstOf(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// extensions of the media types phones commonly send.
var extensions = map[string]string{
	"image/jpeg":      ".jpg",
	"image/jpg":       ".jpg",
	"image/png":       ".png",
	"image/gif":       ".gif",
	"image/webp":      ".webp",
	"image/heic":      ".heic",
	"image/heif":      ".heif",
	"image/bmp":       ".bmp",
	"image/tiff":      ".tiff",
	"video/mp4":       ".mp4",
	"video/3gpp":      ".3gp",
	"video/3gpp2":     ".3g2",
	"video/quicktime": ".mov",
	"video/mpeg":      ".mpeg",
	"video/webm":      ".webm",
	"audio/mpeg":      ".mp3",
	"audio/mp4":       ".m4a",
	"audio/aac":       ".aac",
	"audio/amr":       ".amr",
	"audio/ogg":       ".ogg",
	"audio/wav":       ".wav",
	"audio/3gpp":      ".3gp",
	"application/pdf": ".pdf",
	"text/vcard":      ".vcf",
	"text/x-vcard":    ".vcf",
	"text/calendar":   ".ics",
	"text/plain":      ".txt",
}

// extension guesses a file extension from a media type; "" when unknown.
func extension(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return extensions[mt]
}
