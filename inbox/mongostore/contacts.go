package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"hub/inbox"
)

// identityDoc claims one (workspace, channel, handle) for one contact.
// Its _id is that triple, so the primary key itself makes the claim
// unique and an insert either wins it or reports the winner: the one
// atomic step FindOrCreateContact needs, with no transaction and no
// reliance on filtered updates (which FerretDB v1 does not make atomic).
type identityDoc struct {
	ID          string    `bson:"_id"`
	WorkspaceID string    `bson:"workspaceId"`
	ChannelID   string    `bson:"channelId"`
	Handle      string    `bson:"handle"`
	ContactID   string    `bson:"contactId"`
	CreatedAt   time.Time `bson:"createdAt"`
}

type contactDoc struct {
	ID          string               `bson:"_id"`
	WorkspaceID string               `bson:"workspaceId"`
	Name        string               `bson:"name"`
	Email       string               `bson:"email"`
	Phone       string               `bson:"phone"`
	Notes       string               `bson:"notes"`
	Identities  []contactIdentityDoc `bson:"identities"`
	// BlockedChannels holds the channels the contact is blocked on. A
	// set beside the identities, rather than a flag inside each, lets one
	// $addToSet or $pull change it: FerretDB v1 has no positional "$".
	BlockedChannels []string  `bson:"blockedChannels"`
	CreatedAt       time.Time `bson:"createdAt"`
}

type contactIdentityDoc struct {
	ChannelID string `bson:"channelId"`
	Handle    string `bson:"handle"`
}

func (d *contactDoc) toContact() inbox.Contact {
	c := inbox.Contact{
		ID:          d.ID,
		WorkspaceID: d.WorkspaceID,
		Name:        d.Name,
		Email:       d.Email,
		Phone:       d.Phone,
		Notes:       d.Notes,
		Identities:  make([]inbox.Identity, len(d.Identities)),
		CreatedAt:   utc(d.CreatedAt),
	}
	for i, id := range d.Identities {
		c.Identities[i] = inbox.Identity{
			ChannelID: id.ChannelID,
			Handle:    id.Handle,
			Blocked:   slices.Contains(d.BlockedChannels, id.ChannelID),
		}
	}
	return c
}

// FindOrCreateContact returns the contact owning the identity, creating
// both the identity claim and the contact when there is none.
//
// The claim is written first, naming a fresh contact id; whoever finds a
// claim whose contact does not exist yet (its creator is between the two
// inserts, or died there) creates that contact itself. Every caller thus
// ends on the contact the claim names, and an interrupted creation is
// repaired by the next message instead of leaving the identity dangling.
func (s *Store) FindOrCreateContact(ctx context.Context, workspaceID string, id inbox.Identity, name string) (*inbox.Contact, error) {
	claimKey := key(workspaceID, id.ChannelID, id.Handle)
	for range 3 {
		var claim identityDoc
		err := s.identities.FindOne(ctx, bson.D{{Key: "_id", Value: claimKey}}).Decode(&claim)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
			claim = identityDoc{
				ID:          claimKey,
				WorkspaceID: workspaceID,
				ChannelID:   id.ChannelID,
				Handle:      id.Handle,
				ContactID:   inbox.NewID(),
				CreatedAt:   time.Now().UTC().Truncate(time.Millisecond),
			}
			if _, err := s.identities.InsertOne(ctx, claim); err != nil {
				if s.isDuplicate(err) {
					continue // lost the race: read the winner's claim
				}
				return nil, s.fail("claim contact identity", err)
			}
		case err != nil:
			return nil, s.fail("find contact identity", err)
		}
		return s.contactOfClaim(ctx, &claim, name)
	}
	return nil, fmt.Errorf("mongostore: find or create contact: identity claim kept changing")
}

// contactOfClaim returns the contact the claim names, creating it if
// needed. Creation is an insert of a fixed id, so concurrent creators
// cannot make two.
func (s *Store) contactOfClaim(ctx context.Context, claim *identityDoc, name string) (*inbox.Contact, error) {
	c, err := s.GetContact(ctx, claim.WorkspaceID, claim.ContactID)
	if !errors.Is(err, inbox.ErrNotFound) {
		return c, err
	}
	_, err = s.contacts.InsertOne(ctx, contactDoc{
		ID:              claim.ContactID,
		WorkspaceID:     claim.WorkspaceID,
		Name:            name,
		Identities:      []contactIdentityDoc{{ChannelID: claim.ChannelID, Handle: claim.Handle}},
		BlockedChannels: []string{},
		CreatedAt:       claim.CreatedAt,
	})
	if err != nil && !s.isDuplicate(err) {
		return nil, s.fail("create contact", err)
	}
	return s.GetContact(ctx, claim.WorkspaceID, claim.ContactID)
}

// FindContact returns the contact owning the identity, or ErrNotFound.
// A claim whose contact is not written yet (a creation in progress, or
// one that died half-way) is reported as not found too: only
// FindOrCreateContact finishes a creation.
func (s *Store) FindContact(ctx context.Context, workspaceID string, id inbox.Identity) (*inbox.Contact, error) {
	var claim identityDoc
	err := s.identities.FindOne(ctx, bson.D{{Key: "_id", Value: key(workspaceID, id.ChannelID, id.Handle)}}).Decode(&claim)
	if err != nil {
		return nil, s.fail("find contact identity", err)
	}
	return s.GetContact(ctx, workspaceID, claim.ContactID)
}

// GetContact returns the workspace's contact with that id.
func (s *Store) GetContact(ctx context.Context, workspaceID, id string) (*inbox.Contact, error) {
	c, err := findOne(ctx, s.contacts, byID(workspaceID, id), (*contactDoc).toContact)
	if err != nil {
		return nil, s.fail("get contact", err)
	}
	return &c, nil
}

// contactLockPrefix keeps contact locks apart from conversation locks
// (the bare conversation id) and message locks.
const contactLockPrefix = "contact:"

// lockContact serialises the writers of one contact on FerretDB, which
// applies an update to the document it read and writes the whole of it
// back: a $set of the details and an $addToSet of a blocked channel
// running at once would otherwise undo one another (measured: about one
// pair in 13). It shares the lock collection and limits of
// lockConversation; on MongoDB it takes no lock.
func (s *Store) lockContact(ctx context.Context, id string) (unlock func(), err error) {
	if !s.lockWrites {
		return func() {}, nil
	}
	return s.lockConversation(ctx, contactLockPrefix+id)
}

// SetContactBlocked blocks or unblocks the contact on one channel it is
// known on; any other channel is ErrNotFound.
func (s *Store) SetContactBlocked(ctx context.Context, workspaceID, contactID, channelID string, blocked bool) error {
	unlock, err := s.lockContact(ctx, contactID)
	if err != nil {
		return err
	}
	defer unlock()
	filter := append(byID(workspaceID, contactID), bson.E{Key: "identities.channelId", Value: channelID})
	op := "$pull"
	if blocked {
		op = "$addToSet"
	}
	res, err := s.contacts.UpdateOne(ctx, filter, bson.D{{Key: op, Value: bson.D{{Key: "blockedChannels", Value: channelID}}}})
	if err != nil {
		return s.fail("set contact blocked", err)
	}
	return updated(res)
}
