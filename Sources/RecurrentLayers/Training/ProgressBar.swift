import Foundation

/// Where training progress goes: standard output (the default) or any sink a caller provides
/// (a log, a test string). `isTerminal` decides between redrawing in place and one line per
/// epoch; `now()` is the clock (seconds) used for the timings shown.
public protocol ProgressSink {
  mutating func write(_ text: String)
  var isTerminal: Bool { get }
  func now() -> Double
}

extension ProgressSink {
  public func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

/// Standard output, flushed after every write; a terminal when `isatty(1)`.
public struct StandardOutput: ProgressSink {
  public init() {}
  public var isTerminal: Bool { isatty(1) == 1 }
  public mutating func write(_ text: String) {
    // Lines the program `print`ed earlier sit in the C stdio buffer when output is a pipe;
    // flush them first so they keep their place before the bar.
    fflush(nil)
    FileHandle.standardOutput.write(Data(text.utf8))
  }
}

/// Keras 2's progress bar (`tf_keras.utils.Progbar`), reproduced character for character:
///
///     2/2 [==============================] - 0s 3ms/step - loss: 0.6931 - accuracy: 0.5000
///
/// On a terminal each batch redraws the line in place (backspaces and `\r`, with an ETA while
/// the epoch runs); otherwise only the finished line of each epoch is printed. Verbosity 2
/// prints Keras's one-line epoch summary (`2/2 - 0s - loss: … - 15ms/epoch - 7ms/step`).
///
/// ```swift
/// var bar = ProgressBar(target: 2, verbose: 1, dynamic: false, start: 0)
/// bar.update(2, values: logs, now: 0.006, finalize: true)
/// ```
public struct ProgressBar: Sendable {
  public let target: Int
  public let verbose: Int
  public let dynamic: Bool
  public let width = 30
  private let start: Double
  private var totalWidth = 0
  private var timeAfterFirstStep: Double?

  public init(target: Int, verbose: Int, dynamic: Bool, start: Double) {
    self.target = target
    self.verbose = verbose
    self.dynamic = dynamic
    self.start = start
  }

  /// The text to print after step `current` (empty when nothing should be printed).
  public mutating func update(
    _ current: Int, values: Logs, now: Double, finalize: Bool? = nil
  ) -> String {
    let finalize = finalize ?? (current >= target)
    var info = String(format: " - %.0fs", now - start)
    let numDigits = Int(Foundation.log10(Double(max(target, 1)))) + 1
    let count =
      String(repeating: " ", count: max(0, numDigits - String(current).count))
      + "\(current)/\(target)"
    if verbose == 2 {
      guard finalize else { return "" }
      var line = count + info
      for (key, value) in values {
        line +=
          " - \(key): "
          + (value > 1e-3 ? String(format: "%.4f", value) : Self.pythonScientific(value))
      }
      let perEpoch = now - start
      line += " -" + Self.formatTime(perEpoch, unit: "epoch")
      line += " -" + Self.formatTime(perEpoch / Double(max(target, 1)), unit: "step")
      return line + "\n"
    }
    guard verbose == 1 else { return "" }
    // Keras times every step (the first is left out of the average) even when it only prints
    // the finished line.
    let perStep = estimateStepDuration(current, now: now)
    guard dynamic || finalize else { return "" }
    let previousWidth = totalWidth
    var message = dynamic ? String(repeating: "\u{8}", count: previousWidth) + "\r" : ""
    var bar = count + " ["
    let progWidth = Int(Double(width) * Double(current) / Double(max(target, 1)))
    if progWidth > 0 {
      bar += String(repeating: "=", count: progWidth - 1) + (current < target ? ">" : "=")
    }
    bar += String(repeating: ".", count: width - progWidth) + "]"
    totalWidth = bar.count
    message += bar
    if finalize {
      info += Self.formatTime(perStep, unit: "step")
    } else {
      let eta = perStep * Double(target - current)
      let etaText: String
      if eta > 3600 {
        etaText = String(
          format: "%d:%02d:%02d", Int(eta) / 3600, (Int(eta) % 3600) / 60, Int(eta) % 60)
      } else if eta > 60 {
        etaText = String(format: "%d:%02d", Int(eta) / 60, Int(eta) % 60)
      } else {
        etaText = "\(Int(eta))s"
      }
      info = " - ETA: " + etaText
    }
    for (key, value) in values { info += " - \(key): " + Self.format(value) }
    totalWidth += info.count
    if previousWidth > totalWidth {
      info += String(repeating: " ", count: previousWidth - totalWidth)
    }
    if finalize { info += "\n" }
    return message + info
  }

  /// Seconds per step; the first step (compilation, warm-up) is left out once there are more.
  private mutating func estimateStepDuration(_ current: Int, now: Double) -> Double {
    guard current > 0 else { return 0 }
    let perStep: Double
    if let first = timeAfterFirstStep, current > 1 {
      perStep = (now - first) / Double(current - 1)
    } else {
      perStep = (now - start) / Double(current)
    }
    if current == 1 { timeAfterFirstStep = now }
    return perStep
  }

  /// Keras's number format: 4 decimals, scientific below 1e-3 in magnitude.
  static func format(_ value: Double) -> String {
    abs(value) > 1e-3 ? String(format: "%.4f", value) : pythonScientific(value)
  }

  /// Python's `f"{x:.4e}"` (exponent with at least two digits, as C's `%e`).
  static func pythonScientific(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return String(format: "%.4e", value)
  }

  /// Keras's `_format_time`: ` 3ms/step`, ` 1s/epoch`, ` 250us/step`.
  static func formatTime(_ t: Double, unit: String) -> String {
    if t >= 1 || t == 0 { return String(format: " %.0fs/", t) + unit }
    if t >= 1e-3 { return String(format: " %.0fms/", t * 1000) + unit }
    return String(format: " %.0fus/", t * 1e6) + unit
  }
}
