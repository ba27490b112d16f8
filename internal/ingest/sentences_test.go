package ingest_test

import (
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/ingest"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"Spanish titles and EE.UU.", "El Sr. Pérez y la Sra. Gómez viajaron a EE.UU. el lunes. El Dr. López llegó después.",
			[]string{"El Sr. Pérez y la Sra. Gómez viajaron a EE.UU. el lunes.", "El Dr. López llegó después."}},
		{"English titles and U.S.", "Mr. Smith met Dr. Jones in the U.S. on Monday. He left on Tuesday.",
			[]string{"Mr. Smith met Dr. Jones in the U.S. on Monday.", "He left on Tuesday."}},
		{"p. ej.", "Hay programas europeos, p. ej. EL PAcCTO, que ayudan a la región. Otro más sigue.",
			[]string{"Hay programas europeos, p. ej. EL PAcCTO, que ayudan a la región.", "Otro más sigue."}},
		{"No. and decimals", "The No. 5 project costs €58.8 million in total. The next one is smaller.",
			[]string{"The No. 5 project costs €58.8 million in total.", "The next one is smaller."}},
		{"initials", "J. R. Martínez firmó el acuerdo en Quito. Después salió hacia Lima.",
			[]string{"J. R. Martínez firmó el acuerdo en Quito.", "Después salió hacia Lima."}},
		{"closing guillemet", "El ministro dijo: «Vamos bien.» Luego se fue a Guayaquil.",
			[]string{"El ministro dijo: «Vamos bien.»", "Luego se fue a Guayaquil."}},
		{"a quotation over two sentences stays with its speaker",
			"“We must act now. It is urgent,” said Albornoz. The meeting ended.",
			[]string{"“We must act now. It is urgent,” said Albornoz.", "The meeting ended."}},
		{"a sentence cannot start with a comma", "The states participated in the table. , Spain, France and Italy.",
			[]string{"The states participated in the table. , Spain, France and Italy."}},
		{"numbered list and heading", "Results:\n1. First item\n2. Second item\nA heading without a stop\nA sentence here.",
			[]string{"Results:", "1. First item", "2. Second item", "A heading without a stop", "A sentence here."}},
		{"bullets", "Expected results include:\n- Strengthened institutions;\n- Improved laws.",
			[]string{"Expected results include:", "- Strengthened institutions;", "- Improved laws."}},
		{"a line wrapped inside a sentence", "This sentence wraps\nonto the next line. Done here.",
			[]string{"This sentence wraps\nonto the next line.", "Done here."}},
		{"paragraphs", "First paragraph ends here.\n\nSecond paragraph, without a stop",
			[]string{"First paragraph ends here.", "Second paragraph, without a stop"}},
		{"Spanish question and exclamation marks", "¿Cuándo llega la delegación? Mañana a las 10. ¡Qué bien! Sr. Presidente, gracias.",
			[]string{"¿Cuándo llega la delegación?", "Mañana a las 10.", "¡Qué bien!", "Sr. Presidente, gracias."}},
		{"Nro.", "Boletín Nro. 110 del ministerio. Sigue el texto.",
			[]string{"Boletín Nro. 110 del ministerio.", "Sigue el texto."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ingest.SplitSentences(tt.text)
			var texts []string
			for _, s := range got {
				if s.Text != tt.text[s.Start:s.End] {
					t.Errorf("sentence %q: text[%d:%d] = %q, want the sentence itself", s.Text, s.Start, s.End, tt.text[s.Start:s.End])
				}
				texts = append(texts, s.Text)
			}
			if !slices.Equal(texts, tt.want) {
				t.Errorf("got %q, want %q", texts, tt.want)
			}
		})
	}
}
