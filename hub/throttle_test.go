package hub_test

import "testing"

func TestLogin_ThrottledAfterTenFailures(t *testing.T) {
	th := startHub(t)
	for range 10 {
		if r := th.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@hotel.test", "password": "guess"}); r.status != 401 {
			t.Fatalf("wrong password: %d", r.status)
		}
	}
	r := th.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@hotel.test", "password": adminPassword})
	if r.status != 429 || r.errorCode() != "too_many_attempts" {
		t.Fatalf("11th attempt, right password: %d %s", r.status, r.body)
	}
}
