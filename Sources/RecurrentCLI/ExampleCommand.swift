// `recurrent example keras-lstm`: the Keras example users start from, run in Swift line for line
// (the same code as Examples/KerasLSTM/main.swift), with timings and `--json`.
import ArgumentParser
import Foundation
import Recurrent

/// `recurrent example`: well-known reference programs, rewritten with Recurrent.
struct ExampleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "example",
    abstract: "Run a well-known Keras example, written line for line with Recurrent.",
    subcommands: [KerasLSTMExampleCommand.self])
}

/// `recurrent example keras-lstm`: Tokenizer → padSequences → Embedding → LSTM → Dense sigmoid on
/// four movie-review sentences, then fit, evaluate and predict as Keras prints them.
struct KerasLSTMExampleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keras-lstm",
    abstract:
      "Tokenizer(numWords: 100) → padSequences(maxlen: 5) → Embedding(100, 8) → LSTM(8) → "
      + "Dense(1, sigmoid); fit 5 epochs of batch 2, evaluate, predict (Keras's example).")

  @Option(help: "Seed of the one generator (initial weights, shuffling).") var seed: UInt64 = 0
  @Flag(help: "Print the results as one JSON object on the last line.") var json = false

  func run() throws {
    let runStart = clock()
    let texts = [
      "I love this movie", "I hate this movie", "This movie is amazing", "This movie is terrible",
    ]
    let labels = Tensor<Float>(shape: [4, 1], scalars: [1, 0, 1, 0])  // Keras also takes [4]

    var tokenizer = KerasTokenizer(numWords: 100)
    tokenizer.fitOnTexts(texts)
    let sequences = tokenizer.textsToSequences(texts)
    let padded = padSequences(sequences, maxlen: 5)
    let data = Tensor<Float>(idRows: padded)

    var model = Sequential<Float>([
      Embedding(inputDim: 100, outputDim: 8),
      LSTM(units: 8),
      Dense(units: 1, activation: .sigmoid),
    ])
    model.compile(optimizer: .adam(), loss: .binaryCrossentropy(), metrics: [.accuracy])

    var rng = RandomGenerator(seed: seed)
    let fitStart = clock()
    let history = try model.fit(x: data, y: labels, epochs: 5, batchSize: 2, generator: &rng)
    let fitSeconds = clock() - fitStart

    let evaluateStart = clock()
    let scores = try model.evaluate(x: data, y: labels)
    let evaluateSeconds = clock() - evaluateStart
    printBar(scores, start: evaluateStart, end: evaluateStart + evaluateSeconds)

    let testPadded = padSequences(tokenizer.textsToSequences(["This movie is amazing"]), maxlen: 5)
    let predictStart = clock()
    let prediction = try model.predict(Tensor<Float>(idRows: testPadded)).scalars[0]
    let predictSeconds = clock() - predictStart
    printBar(Logs(), start: predictStart, end: predictStart + predictSeconds)
    print(String(format: "Prediction for 'This movie is amazing': %.4f", prediction))
    print(model.summary())

    if json {
      let wordIndex = tokenizer.wordIndex
      try printJSONLine([
        "example": "keras-lstm", "seed": seed, "word_index": wordIndex,
        "sequences": sequences, "padded": padded, "test_padded": testPadded,
        "params": model.trainableParameterCount + model.nonTrainableParameterCount,
        "history_loss": (history["loss"] ?? []).map(round4),
        "history_accuracy": (history["accuracy"] ?? []).map(round4),
        "eval_loss": round4(scores["loss"] ?? .nan),
        "eval_accuracy": round4(scores["accuracy"] ?? .nan),
        "prediction": round4(Double(prediction)),
        "fit_s": round6(fitSeconds), "evaluate_s": round6(evaluateSeconds),
        "predict_s": round6(predictSeconds), "run_s": round6(clock() - runStart),
      ])
    }
  }

  /// Padded id rows `[N, T]` as the float tensor the Embedding layer reads.

  private func clock() -> Double { StandardOutput().now() }

  /// The one-step progress line Keras 2 prints after `evaluate` and `predict`.
  private func printBar(_ logs: Logs, start: Double, end: Double) {
    var bar = ProgressBar(target: 1, verbose: 1, dynamic: false, start: start)
    print(bar.update(1, values: logs, now: end), terminator: "")
  }

  private func round4(_ x: Double) -> Double { (x * 1e4).rounded() / 1e4 }
  private func round6(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
}
