import Foundation
import RecurrentTasks
import XCTest

/// Golden values from scikit-learn (Tools/make_tasks_fixtures.py).
final class ClassificationReportTests: XCTestCase {
  func testMatchesScikitLearn() throws {
    let url = try XCTUnwrap(
      Bundle.module.url(
        forResource: "classification_report", withExtension: "json",
        subdirectory: "Fixtures"))
    let root = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
    XCTAssertEqual(cases.count, 2)
    for c in cases {
      let report = ClassificationReport(
        truth: c["truth"] as! [String], predicted: c["predicted"] as! [String],
        classes: c["classes"] as! [String])
      XCTAssertEqual(report.confusion, c["confusion"] as! [[Int]])
      XCTAssertEqual(report.accuracy, c["accuracy"] as! Double, accuracy: 1e-12)
      XCTAssertEqual(report.macroF1, c["macro_f1"] as! Double, accuracy: 1e-12)
      for (name, ours) in [
        ("precision", report.precision), ("recall", report.recall), ("f1", report.f1),
      ] {
        let theirs = c[name] as! [Double]
        XCTAssertEqual(ours.count, theirs.count)
        for (a, b) in zip(ours, theirs) { XCTAssertEqual(a, b, accuracy: 1e-12, name) }
      }
    }
  }
}
