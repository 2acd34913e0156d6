package quiz

import "math/rand"

func Shuffle(questions []string) {
	rand.Shuffle(len(questions), func(i, j int) { questions[i], questions[j] = questions[j], questions[i] })
	_ = rand.Intn(10)
}
