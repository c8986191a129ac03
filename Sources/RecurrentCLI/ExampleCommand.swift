// `recurrent example keras-lstm`: the Keras example users start from, run in Swift line for line
// (`kerasLSTMExample(seed:)` in RecurrentTasks, also run by Examples/KerasLSTM/main.swift), with
// `--json`.
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
    let clock = StandardOutput()
    let runStart = clock.now()
    let r = try kerasLSTMExample(seed: seed)
    guard json else { return }
    try printJSONLine([
      "example": "keras-lstm", "seed": seed, "word_index": r.wordIndex,
      "sequences": r.sequences, "padded": r.padded, "test_padded": r.testPadded,
      "params": r.parameterCount,
      "history_loss": (r.history["loss"] ?? []).map(round4),
      "history_accuracy": (r.history["accuracy"] ?? []).map(round4),
      "eval_loss": round4(r.scores["loss"] ?? .nan),
      "eval_accuracy": round4(r.scores["accuracy"] ?? .nan),
      "prediction": round4(r.prediction),
      "fit_s": round6(r.fitSeconds), "evaluate_s": round6(r.evaluateSeconds),
      "predict_s": round6(r.predictSeconds), "run_s": round6(clock.now() - runStart),
    ])
  }

  private func round4(_ x: Double) -> Double { (x * 1e4).rounded() / 1e4 }
  private func round6(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
}
