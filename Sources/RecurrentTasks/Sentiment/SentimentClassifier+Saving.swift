import Foundation
import RecurrentClassic
import RecurrentLayers

/// The directory layout of a saved ``SentimentClassifier``:
/// - `sentiment.json` — format name and version, kind, classes, options;
/// - linear models: `features.json` (n-gram vocabulary, idf) and `linear.json` (weights);
/// - recurrent models: `words.json` (vocabulary) and `network/` (``Sequential`` config + weights),
///   plus `network-2/`, `network-3/`, … for the other members of an ensemble.
extension SentimentClassifier {
  /// The `format` field every saved manifest carries.
  public static let formatName = "recurrent.sentiment"
  /// The layout version this build writes and reads.
  public static let formatVersion = 1

  struct Manifest: Codable {
    var format: String
    var version: Int
    var kind: SentimentModelKind
    var classes: [String]
    var options: SentimentOptions
    var probabilities: ProbabilityForm?
  }

  struct LinearWeights: Codable {
    var columns: Int
    var weights: [Double]
    var intercepts: [Double]
    var binarizeThreshold: Double?
  }

  /// Writes the classifier to `directory` (replacing it). The files are written to a sibling
  /// temporary directory first and moved into place at the end, so a failed save never leaves
  /// a half-written model where a good one was.
  public func save(to directory: URL) throws {
    let fm = FileManager.default
    let staging = directory.deletingLastPathComponent().appendingPathComponent(
      ".\(directory.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
    try? fm.removeItem(at: staging)
    try fm.createDirectory(at: staging, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var manifest = Manifest(
      format: Self.formatName, version: Self.formatVersion, kind: kind, classes: classes,
      options: options, probabilities: nil)
    switch engine {
    case let .linear(features, model, form):
      manifest.probabilities = form
      try encoder.encode(features).write(to: staging.appendingPathComponent("features.json"))
      let weights = LinearWeights(
        columns: model.scorer.columns, weights: model.scorer.weights,
        intercepts: model.scorer.intercepts, binarizeThreshold: model.scorer.binarizeThreshold)
      try encoder.encode(weights).write(to: staging.appendingPathComponent("linear.json"))
    case let .recurrent(words, models):
      try encoder.encode(words).write(to: staging.appendingPathComponent("words.json"))
      for (k, model) in models.enumerated() {
        try model.save(to: staging.appendingPathComponent(Self.networkFolder(k)))
      }
    }
    // The manifest goes last: a directory without it is recognisably incomplete.
    try encoder.encode(manifest).write(to: staging.appendingPathComponent("sentiment.json"))
    // Swap in the new directory: the old one is moved aside first and removed only after the
    // new one is in place (renames within one folder are atomic).
    let previous = staging.appendingPathExtension("previous")
    try? fm.removeItem(at: previous)
    let hadPrevious = fm.fileExists(atPath: directory.path)
    if hadPrevious { try fm.moveItem(at: directory, to: previous) }
    do {
      try fm.moveItem(at: staging, to: directory)
    } catch {
      if hadPrevious { try? fm.moveItem(at: previous, to: directory) }
      throw error
    }
    if hadPrevious { try? fm.removeItem(at: previous) }
  }

  /// The folder of ensemble member `k`: `network`, `network-2`, `network-3`, ….
  static func networkFolder(_ k: Int) -> String { k == 0 ? "network" : "network-\(k + 1)" }

  /// Reads a classifier written by ``save(to:)``.
  /// - Throws: ``SentimentError/invalidModelDirectory(path:reason:)`` for a directory that is
  ///   missing files, damaged, or written by another format version.
  public init(contentsOf directory: URL) throws {
    let path = directory.path
    func read<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
      let url = directory.appendingPathComponent(name)
      guard let data = try? Data(contentsOf: url) else {
        throw SentimentError.invalidModelDirectory(
          path: path, reason: "\(name) is missing; save the model again")
      }
      do {
        return try JSONDecoder().decode(type, from: data)
      } catch {
        throw SentimentError.invalidModelDirectory(
          path: path, reason: "\(name) is damaged (\(error)); save the model again")
      }
    }
    let manifest = try read(Manifest.self, "sentiment.json")
    guard manifest.format == Self.formatName else {
      throw SentimentError.invalidModelDirectory(
        path: path, reason: "sentiment.json has format '\(manifest.format)', not a sentiment model")
    }
    guard manifest.version == Self.formatVersion else {
      throw SentimentError.invalidModelDirectory(
        path: path,
        reason:
          "written by format version \(manifest.version); this build reads version "
          + "\(Self.formatVersion): retrain or use the matching release")
    }
    guard manifest.classes.count >= 2 else {
      throw SentimentError.invalidModelDirectory(path: path, reason: "fewer than two classes")
    }
    let engine: Engine
    if manifest.kind.isRecurrent {
      let words = try read(WordSequences.self, "words.json")
      var networks: [Sequential<Float>] = []
      for k in 0..<max(manifest.options.ensemble, 1) {
        let folder = Self.networkFolder(k)
        do {
          networks.append(
            try Sequential<Float>.load(
              from: directory.appendingPathComponent(folder), registry: .sentiment))
        } catch {
          throw SentimentError.invalidModelDirectory(
            path: path, reason: "\(folder)/ cannot be loaded (\(error))")
        }
      }
      engine = .recurrent(words: words, models: networks)
    } else {
      let features = try read(BagOfNGrams.self, "features.json")
      let w = try read(LinearWeights.self, "linear.json")
      guard w.columns == features.count, w.weights.count == w.intercepts.count * w.columns,
        w.intercepts.count == (manifest.classes.count == 2 ? 1 : manifest.classes.count)
          || w.intercepts.count == manifest.classes.count,
        features.weighting == .binary || features.idf.count == features.count
      else {
        throw SentimentError.invalidModelDirectory(
          path: path, reason: "linear.json does not fit features.json; save the model again")
      }
      let scorer = LinearScorer(
        columns: w.columns, weights: w.weights, intercepts: w.intercepts,
        binarizeThreshold: w.binarizeThreshold)
      engine = .linear(
        features: features, model: StoredLinearModel(classes: manifest.classes, scorer: scorer),
        probabilities: manifest.probabilities ?? .none)
    }
    self.init(
      kind: manifest.kind, classes: manifest.classes, options: manifest.options, engine: engine)
  }
}
