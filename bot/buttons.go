package bot

import "strings"

// choiceWords may come before the number of a numbered choice: "option 2",
// "choix 2", "n° 2", "nr. 2" (folded).
var choiceWords = map[string]bool{
	"option": true, "choice": true, "number": true, "no": true, "nr": true, "n": true, "num": true,
	"choix": true, "numero": true, "opzione": true, "scelta": true, "opcion": true,
	"nummer": true, "wahl": true,
}

// Choice reads a numbered choice: when the customer's text is only a
// number n ("2", "2.", " 2 ", "#2", "2)", "2️⃣", "option 2", "choix 2",
// "n° 2") and 1 <= n <= len(buttons), it returns n and buttons[n-1]. Any
// other text, a number out of range or a blank button is not a choice.
func Choice(text string, buttons []string) (int, string, bool) {
	if len(buttons) == 0 {
		return 0, "", false
	}
	folded := Fold(text)
	if i := strings.LastIndexByte(folded, ' '); i >= 0 {
		if strings.IndexByte(folded[:i], ' ') >= 0 || !choiceWords[folded[:i]] {
			return 0, "", false
		}
		folded = folded[i+1:]
	}
	if folded == "" || len(folded) > 3 {
		return 0, "", false
	}
	n := 0
	for i := 0; i < len(folded); i++ {
		c := folded[i]
		if c < '0' || c > '9' {
			return 0, "", false
		}
		n = n*10 + int(c-'0')
	}
	if n < 1 || n > len(buttons) || strings.TrimSpace(buttons[n-1]) == "" {
		return 0, "", false
	}
	return n, strings.TrimSpace(buttons[n-1]), true
}
