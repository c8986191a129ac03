import ArgumentParser
import Foundation
import Recurrent

/// `recurrent-bench tfidf`: TF-IDF fit+transform (`fitTransform`) of all 10,662 rt-polarity lines,
/// unigrams + bigrams, scikit-learn defaults otherwise. Reference: Tools/bench_tfidf_sklearn.py.
struct TfidfBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tfidf", abstract: "TfidfVectorizer fitTransform on rt-polarity (1-2 grams).")

  @Option(help: "Folder holding rt-polarity.pos and rt-polarity.neg.")
  var data = "../shared/data/sentiment-rt-polarity"

  @Option(help: "Timed repetitions (the median is reported).")
  var repeats = 5

  @Flag(help: "Print one JSON line.")
  var json = false

  func run() throws {
    var documents: [String] = []
    for name in ["rt-polarity.pos", "rt-polarity.neg"] {
      let path = (data as NSString).appendingPathComponent(name)
      guard let bytes = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read \(path); pass --data <folder with rt-polarity.pos/.neg>")
      }
      var lines = [UInt8](bytes).split(separator: 0x0A, omittingEmptySubsequences: false)
      if lines.last?.isEmpty == true { lines.removeLast() }
      documents += lines.map { String(decoding: $0, as: UTF8.self) }
    }
    var times: [Double] = []
    var cpuTimes: [Double] = []
    var features = 0
    var nnz = 0
    for _ in 0..<max(1, repeats) {
      let start = DispatchTime.now().uptimeNanoseconds
      let cpuStart = processCPUSeconds()
      var vectorizer = TfidfVectorizer(ngramRange: 1...2)
      let x = try vectorizer.fitTransform(documents)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      cpuTimes.append(processCPUSeconds() - cpuStart)
      features = x.columns
      nnz = x.storedCount
    }
    let sorted = times.sorted()
    let median = sorted[sorted.count / 2]
    // CPU time too: on a shared, oversubscribed machine wall time mostly measures the queue.
    let cpuMedian = cpuTimes.sorted()[cpuTimes.count / 2]
    if json {
      let line: [String: Any] = [
        "case": "tfidf", "impl": "recurrent", "documents": documents.count, "features": features,
        "nnz": nnz, "median_s": (median * 1e4).rounded() / 1e4,
        "min_s": (sorted[0] * 1e4).rounded() / 1e4, "repeats": times.count,
        "median_cpu_s": (cpuMedian * 1e4).rounded() / 1e4,
      ]
      let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(
        "tfidf: \(documents.count) documents, \(features) features, nnz \(nnz),"
          + " median \(median) s (CPU \(cpuMedian) s) over \(times.count) runs")
    }
  }
}

/// CPU seconds used by this process so far (all threads).
private func processCPUSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
