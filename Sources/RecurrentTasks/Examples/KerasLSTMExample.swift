// The Keras example most users start from — Tokenizer, pad_sequences, Embedding → LSTM → Dense,
// compile, fit, evaluate, predict — line for line in Swift. One function, run by
// Examples/KerasLSTM/main.swift and by `recurrent example keras-lstm` (which adds `--json`).
import Foundation
import RecurrentLayers
import RecurrentTensor
import RecurrentText

/// What ``kerasLSTMExample(seed:)`` computed, for the command line's JSON line and for tests.
public struct KerasLSTMExampleResult {
  /// The tokenizer's word → id map (1 = most frequent).
  public var wordIndex: [String: Int]
  /// The four texts as ids, then padded to 5 (pre-padding, as Keras).
  public var sequences: [[Int]]
  public var padded: [[Int]]
  /// The test sentence, padded.
  public var testPadded: [[Int]]
  /// Parameters of the model (all trainable).
  public var parameterCount: Int
  /// Loss and accuracy after each of the 5 epochs.
  public var history: History
  /// `evaluate` on the training data.
  public var scores: Logs
  /// The sigmoid output for "This movie is amazing".
  public var prediction: Double
  /// Wall seconds of `fit`, `evaluate` and `predict`.
  public var fitSeconds: Double
  public var evaluateSeconds: Double
  public var predictSeconds: Double
}

/// Runs Keras's LSTM sentiment example on four sentences and prints what Keras prints (the
/// per-epoch progress bars, the evaluate and predict bars, the prediction and the summary).
/// `seed` fixes the initial weights and the shuffling, as Keras's global seed does.
///
/// ```swift
/// let result = try kerasLSTMExample(seed: 0)
/// print(result.scores["accuracy"]!)
/// ```
public func kerasLSTMExample(seed: UInt64 = 0) throws -> KerasLSTMExampleResult {
  let texts = [
    "I love this movie", "I hate this movie", "This movie is amazing", "This movie is terrible",
  ]
  let labels = [1, 0, 1, 0]

  var tokenizer = KerasTokenizer(numWords: 100)
  tokenizer.fitOnTexts(texts)
  let sequences = tokenizer.textsToSequences(texts)
  let data = padSequences(sequences, maxlen: 5)

  var model = Sequential<Float> {
    Embedding(inputDim: 100, outputDim: 8)
    LSTM(8)
    Dense(1, activation: .sigmoid)
  }
  model.compile(optimizer: .adam, loss: .binaryCrossentropy, metrics: [.accuracy])

  var rng = RandomGenerator(seed: seed)  // Keras's global seed, passed explicitly
  let clock = StandardOutput()
  var started = clock.now()
  let history = try model.fit(data, labels, epochs: 5, batchSize: 2, generator: &rng)
  let fitSeconds = clock.now() - started

  started = clock.now()
  let scores = try model.evaluate(data, labels)
  let evaluateSeconds = clock.now() - started

  let testData = padSequences(tokenizer.textsToSequences(["This movie is amazing"]), maxlen: 5)
  started = clock.now()
  let prediction = try model.predict(testData)
  let predictSeconds = clock.now() - started
  print(String(format: "Prediction for 'This movie is amazing': %.4f", prediction[0, 0]))
  print(model.summary())

  return KerasLSTMExampleResult(
    wordIndex: tokenizer.wordIndex, sequences: sequences, padded: data, testPadded: testData,
    parameterCount: model.trainableParameterCount + model.nonTrainableParameterCount,
    history: history, scores: scores, prediction: Double(prediction[0, 0]),
    fitSeconds: fitSeconds, evaluateSeconds: evaluateSeconds, predictSeconds: predictSeconds)
}
