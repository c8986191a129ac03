// The Keras example most users start from — Tokenizer, pad_sequences, Embedding → LSTM → Dense,
// compile, fit, evaluate, predict — line for line in Swift. The same run ships as
// `swift run -c release recurrent example keras-lstm` (with timings and `--json`).
//
//     swift run -c release KerasLSTMExample
import Foundation
import Recurrent

let texts = [
  "I love this movie", "I hate this movie", "This movie is amazing", "This movie is terrible",
]
let labels = Tensor<Float>(shape: [4, 1], scalars: [1, 0, 1, 0])  // Keras also takes [4]

var tokenizer = KerasTokenizer(numWords: 100)
tokenizer.fitOnTexts(texts)
let sequences = tokenizer.textsToSequences(texts)
let data = Tensor<Float>(idRows: padSequences(sequences, maxlen: 5))

var model = Sequential<Float>([
  Embedding(inputDim: 100, outputDim: 8),
  LSTM(units: 8),
  Dense(units: 1, activation: .sigmoid),
])
model.compile(optimizer: .adam(), loss: .binaryCrossentropy(), metrics: [.accuracy])

// Keras draws from a global seed; here one explicit generator fixes the weights and shuffling.
var rng = RandomGenerator(seed: 0)
try model.fit(x: data, y: labels, epochs: 5, batchSize: 2, generator: &rng)

var started = secondsNow()
let scores = try model.evaluate(x: data, y: labels)
printBar(scores, since: started)  // 1/1 [====…] - 0s 1ms/step - loss: 0.6928 - accuracy: 0.5000

let test = Tensor<Float>(
  idRows: padSequences(tokenizer.textsToSequences(["This movie is amazing"]), maxlen: 5))
started = secondsNow()
let prediction = try model.predict(test)
printBar(Logs(), since: started)
print(String(format: "Prediction for 'This movie is amazing': %.4f", prediction.scalars[0]))
print(model.summary())

/// Seconds on the clock the progress bar uses.
func secondsNow() -> Double { StandardOutput().now() }

/// The one-step progress line Keras 2 prints after `evaluate` and `predict` (they take no
/// `verbose:` here, so the example prints it).
func printBar(_ logs: Logs, since start: Double) {
  var bar = ProgressBar(target: 1, verbose: 1, dynamic: false, start: start)
  print(bar.update(1, values: logs, now: secondsNow()), terminator: "")
}
