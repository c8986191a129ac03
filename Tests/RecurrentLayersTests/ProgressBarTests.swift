import RecurrentLayers
import XCTest

final class ProgressBarTests: XCTestCase {
  func logs(_ pairs: [(String, Double)]) -> Logs {
    var l = Logs()
    for (k, v) in pairs { l[k] = v }
    return l
  }

  /// The finished line, character for character as Keras 2 prints it.
  func testFinishedLineMatchesKeras2() {
    var bar = ProgressBar(target: 2, verbose: 1, dynamic: false, start: 0)
    XCTAssertEqual(bar.update(1, values: logs([("loss", 0.7)]), now: 0.002, finalize: false), "")
    let line = bar.update(2, values: logs([("loss", 0.6931), ("accuracy", 0.5)]), now: 0.005)
    // Step time leaves the first step out: (0.005 − 0.002) / 1 = 3 ms.
    XCTAssertEqual(
      line, "2/2 [==============================] - 0s 3ms/step - loss: 0.6931 - accuracy: 0.5000\n"
    )
  }

  /// On a terminal the line is redrawn in place: backspaces over the previous text, `\r`, the
  /// partial bar with `>` and an ETA, and padding when the new text is shorter.
  func testDynamicRedrawWithETA() {
    var bar = ProgressBar(target: 10, verbose: 1, dynamic: true, start: 0)
    let first = bar.update(3, values: logs([("loss", 1.23456)]), now: 3)
    XCTAssertEqual(first, "\r 3/10 [========>.....................] - ETA: 7s - loss: 1.2346")
    let second = bar.update(10, values: logs([("loss", 0.0001)]), now: 12)
    let back = String(repeating: "\u{8}", count: first.count - 1)
    XCTAssertEqual(
      second, back + "\r10/10 [==============================] - 12s 1s/step - loss: 1.0000e-04\n")
  }

  func testVerbose2AndTimeFormats() {
    var bar = ProgressBar(target: 3, verbose: 2, dynamic: false, start: 10)
    XCTAssertEqual(bar.update(2, values: logs([("loss", 0.5)]), now: 10.1), "")
    XCTAssertEqual(
      bar.update(3, values: logs([("loss", 0.5), ("val_loss", 0.25)]), now: 11.5),
      "3/3 - 2s - loss: 0.5000 - val_loss: 0.2500 - 2s/epoch - 500ms/step\n")
    var long = ProgressBar(target: 2, verbose: 1, dynamic: true, start: 0)
    XCTAssert(long.update(1, values: Logs(), now: 4000).contains("ETA: 1:06:40"))
    var tiny = ProgressBar(target: 1, verbose: 1, dynamic: false, start: 0)
    XCTAssertEqual(
      tiny.update(1, values: Logs(), now: 0.0004),
      "1/1 [==============================] - 0s 400us/step\n")
  }
}
