package bot

import "testing"

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		// Clear sentences.
		{"What time is breakfast served, please?", "en"},
		{"Hi, I would like to know if the pool is open", "en"},
		{"Bonjour, à quelle heure est le petit-déjeuner ?", "fr"},
		{"Je voudrais réserver une chambre pour ce soir", "fr"},
		{"Est-ce qu'il y a un parking ?", "fr"},
		{"Buongiorno, vorrei sapere a che ora è la colazione", "it"},
		{"Ciao, c'è il parcheggio?", "it"},
		{"Guten Tag, wann gibt es Frühstück?", "de"},
		{"Ich möchte ein Zimmer für zwei Nächte", "de"},
		{"Hola, ¿a qué hora es el desayuno?", "es"},
		{"Quisiera reservar una habitación para dos noches, gracias", "es"},
		// One telling word is enough.
		{"Merci !", "fr"},
		{"Danke", "de"},
		{"grazie", "it"},
		{"gracias", "es"},
		{"thanks", "en"},
		// Unsure: no stop words, only shared ones, or a tie.
		{"", ""},
		{"wifi password", ""},
		{"parking", ""},
		{"la", ""},
		{"a", ""},
		{"no", ""},
		{"Hotel parking in Paris", ""},
		{"merci thanks", ""},
		{"👍", ""},
		// Mixed: the stronger side wins.
		{"Hi, je voudrais le code wifi", "fr"},
	}
	for _, tt := range tests {
		if got := DetectLanguage(tt.text); got != tt.want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestStopWordsAreFolded(t *testing.T) {
	if len(langBits) < 300 {
		t.Fatalf("only %d stop words", len(langBits))
	}
	for w := range langBits {
		if Fold(w) != w {
			t.Errorf("stop word %q is not folded", w)
		}
	}
}
