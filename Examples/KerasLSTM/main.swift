// The Keras example most users start from — Tokenizer, pad_sequences, Embedding → LSTM → Dense,
// compile, fit, evaluate, predict — line for line in Swift. The script itself is
// `kerasLSTMExample(seed:)` in Sources/RecurrentTasks/Examples/KerasLSTMExample.swift, shared with
// `swift run -c release recurrent example keras-lstm` (which adds `--json`):
//
//     texts = ["I love this movie", "I hate this movie", "This movie is amazing", ...]
//     labels = [1, 0, 1, 0]
//     var tokenizer = KerasTokenizer(numWords: 100)
//     tokenizer.fitOnTexts(texts)
//     let data = padSequences(tokenizer.textsToSequences(texts), maxlen: 5)
//     var model = Sequential<Float> {
//       Embedding(inputDim: 100, outputDim: 8)
//       LSTM(8)
//       Dense(1, activation: .sigmoid)
//     }
//     model.compile(optimizer: .adam, loss: .binaryCrossentropy, metrics: [.accuracy])
//     try model.fit(data, labels, epochs: 5, batchSize: 2, generator: &rng)
//     try model.evaluate(data, labels)
//     try model.predict(padSequences(tokenizer.textsToSequences(["This movie is amazing"]), maxlen: 5))
//
//     swift run -c release KerasLSTMExample
import Recurrent

_ = try kerasLSTMExample(seed: 0)
