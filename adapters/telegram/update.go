package telegram

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"hub/adapters"
)

// The wire structs below hold only what the adapter reads from an update
// (see the package doc for why not the library's types).

type update struct {
	UpdateID      int64          `json:"update_id"`
	Message       *message       `json:"message"`
	CallbackQuery *callbackQuery `json:"callback_query"`
}

type user struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Username  string `json:"username"`
}

type chat struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

type fileRef struct {
	FileID   string `json:"file_id"`
	FileName string `json:"file_name"`
	MimeType string `json:"mime_type"`
	FileSize int64  `json:"file_size"`
}

type message struct {
	MessageID int64     `json:"message_id"`
	From      *user     `json:"from"`
	Chat      *chat     `json:"chat"`
	Date      int64     `json:"date"`
	Text      string    `json:"text"`
	Caption   string    `json:"caption"`
	Photo     []fileRef `json:"photo"`
	Document  *fileRef  `json:"document"`
	Voice     *fileRef  `json:"voice"`
	Audio     *fileRef  `json:"audio"`
	Video     *fileRef  `json:"video"`
	VideoNote *fileRef  `json:"video_note"`
	Animation *fileRef  `json:"animation"`
	Sticker   *struct {
		Emoji string `json:"emoji"`
	} `json:"sticker"`
	Location *location `json:"location"`
	Venue    *struct {
		Location location `json:"location"`
		Title    string   `json:"title"`
		Address  string   `json:"address"`
	} `json:"venue"`
	Contact *struct {
		PhoneNumber string `json:"phone_number"`
		FirstName   string `json:"first_name"`
		LastName    string `json:"last_name"`
	} `json:"contact"`
	Poll *struct {
		Question string `json:"question"`
	} `json:"poll"`
	Dice *struct {
		Emoji string `json:"emoji"`
		Value int    `json:"value"`
	} `json:"dice"`
}

type location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type callbackQuery struct {
	ID      string   `json:"id"`
	From    *user    `json:"from"`
	Message *message `json:"message"`
	Data    string   `json:"data"`
}

// inbound turns an update into the hub's envelope. ok is false for updates
// the adapter ignores. callbackID is set for a button press, to be answered
// once the hub stored it.
func (a *Adapter) inbound(channelID string, u *update) (in adapters.Inbound, callbackID string, ok bool) {
	in = adapters.Inbound{
		ChannelID:  channelID,
		ExternalID: strconv.FormatInt(u.UpdateID, 10),
		ReceivedAt: a.now().UTC(),
	}
	switch {
	case u.Message != nil:
		m := u.Message
		if m.Chat == nil {
			return in, "", false
		}
		if !messageContent(m, &in) {
			return in, "", false
		}
		in.ContactHandle = strconv.FormatInt(m.Chat.ID, 10)
		in.ContactName = displayName(m.From)
		if m.Date > 0 {
			in.ReceivedAt = time.Unix(m.Date, 0).UTC()
		}
		return in, "", true
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		switch {
		case q.Message != nil && q.Message.Chat != nil:
			in.ContactHandle = strconv.FormatInt(q.Message.Chat.ID, 10)
		case q.From != nil:
			in.ContactHandle = strconv.FormatInt(q.From.ID, 10)
		default:
			return in, "", false
		}
		in.ContactName = displayName(q.From)
		in.Text = q.Data
		if in.Text == "" {
			in.Text = "[button]"
		}
		return in, q.ID, true
	}
	return in, "", false
}

// messageContent fills in's text and attachments from m; false when the
// message is one to ignore (an unknown kind outside a private chat).
func messageContent(m *message, in *adapters.Inbound) bool {
	in.Text = m.Text
	if in.Text == "" {
		in.Text = m.Caption
	}
	file := func(f *fileRef, contentType, name, label string) {
		if contentType == "" {
			contentType = f.MimeType
		}
		if name == "" {
			name = f.FileName
		}
		in.Attachments = append(in.Attachments, adapters.Attachment{
			URL: f.FileID, ContentType: contentType, Name: name, Size: f.FileSize, Proxied: true,
		})
		if in.Text == "" && label != "" {
			in.Text = label
		}
	}
	switch {
	case len(m.Photo) > 0:
		largest := m.Photo[len(m.Photo)-1] // sizes come smallest first
		file(&largest, "image/jpeg", "photo.jpg", "")
	case m.Document != nil:
		file(m.Document, "", "", "")
	case m.Voice != nil:
		file(m.Voice, "", "voice.ogg", "[voice message]")
	case m.Audio != nil:
		file(m.Audio, "", "", "[audio]")
	case m.Video != nil:
		file(m.Video, "", "", "[video]")
	case m.VideoNote != nil:
		file(m.VideoNote, "video/mp4", "video-note.mp4", "[video message]")
	case m.Animation != nil:
		file(m.Animation, "", "", "[GIF]")
	case m.Sticker != nil:
		in.Text = "[sticker]"
		if m.Sticker.Emoji != "" {
			in.Text = "[sticker " + m.Sticker.Emoji + "]"
		}
	case m.Venue != nil:
		in.Text = fmt.Sprintf("[venue: %s, %s (%.6f, %.6f)]", m.Venue.Title, m.Venue.Address, m.Venue.Location.Latitude, m.Venue.Location.Longitude)
	case m.Location != nil:
		in.Text = fmt.Sprintf("[location: %.6f, %.6f]", m.Location.Latitude, m.Location.Longitude)
	case m.Contact != nil:
		name := strings.TrimSpace(m.Contact.FirstName + " " + m.Contact.LastName)
		in.Text = "[contact: " + strings.TrimSpace(name+" "+m.Contact.PhoneNumber) + "]"
	case m.Poll != nil:
		in.Text = "[poll: " + m.Poll.Question + "]"
	case m.Dice != nil:
		in.Text = fmt.Sprintf("[dice %s %d]", m.Dice.Emoji, m.Dice.Value)
	case in.Text != "":
	case m.Chat.Type == "private":
		in.Text = "[unsupported message]"
	default:
		return false
	}
	return true
}

// displayName is "First Last", else "@username", else "".
func displayName(u *user) string {
	if u == nil {
		return ""
	}
	if name := strings.TrimSpace(u.FirstName + " " + u.LastName); name != "" {
		return name
	}
	if u.Username != "" {
		return "@" + u.Username
	}
	return ""
}
