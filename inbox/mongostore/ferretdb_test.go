package mongostore

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// The FerretDB paths (ferretdb.go) rely on FerretDB turning a filter of
// exactly {_id: id} into an SQL lookup, which ferrettest.IndexIDs makes an
// index search (and checks that SQLite plans it so). If a FerretDB upgrade
// stopped pushing that filter down, nothing would fail, the suite would
// only take hours; this test says so directly.
func TestFerretDB_PushesIDFilterDown(t *testing.T) {
	if usingRealServer() {
		t.Skip("FerretDB only: a real server plans its own queries")
	}
	s := openTest(t)
	for _, coll := range []string{collConversations, collConvLocks} {
		cmd := bson.D{
			{Key: "explain", Value: bson.D{
				{Key: "find", Value: coll},
				{Key: "filter", Value: idFilter("some-id")},
			}},
			{Key: "verbosity", Value: "queryPlanner"},
		}
		var res struct {
			FilterPushdown bool `bson:"filterPushdown"`
		}
		if err := s.db.RunCommand(t.Context(), cmd).Decode(&res); err != nil {
			t.Fatalf("explain find on %s: %v", coll, err)
		}
		if !res.FilterPushdown {
			t.Errorf("find {_id} on %s is not pushed down to SQLite: every lookup by id scans the collection", coll)
		}
	}
}
