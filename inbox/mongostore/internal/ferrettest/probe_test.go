package ferrettest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

func TestProbeRace(t *testing.T) {
	defer Stop()
	uri := Start(t)
	cl, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	coll := cl.Database("probe").Collection("c")
	for round := 0; round < 20; round++ {
		id := round
		if _, err := coll.InsertOne(ctx, bson.D{{"_id", id}, {"v", 1}}); err != nil {
			t.Fatal(err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := coll.UpdateOne(ctx, bson.D{{"_id", id}, {"v", 1}}, bson.D{{"$set", bson.D{{"v", 2}, {"g", g}}}})
				if err != nil {
					t.Error(err)
					return
				}
				if r.MatchedCount == 1 {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		t.Logf("round %d wins %d", round, wins.Load())
		// delete race
		var dels atomic.Int32
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := coll.DeleteOne(ctx, bson.D{{"_id", id}})
				if err != nil {
					t.Error(err)
					return
				}
				if r.DeletedCount == 1 {
					dels.Add(1)
				}
			}()
		}
		wg.Wait()
		t.Logf("round %d dels %d", round, dels.Load())
	}
}
