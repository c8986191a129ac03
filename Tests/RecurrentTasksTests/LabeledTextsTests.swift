import Foundation
import RecurrentTasks
import RecurrentText
import XCTest

final class LabeledTextsTests: XCTestCase {
  func testReadsShippedSplit() throws {
    let train = try shippedRTPolarity("train")
    XCTAssertEqual(train.count, 8530)
    XCTAssertEqual(Set(train.labels), ["0", "1"])
    XCTAssertEqual(train.labels.filter { $0 == "1" }.count, 4243)  // the data README's count
    XCTAssertNil(train.folds)
  }

  func testCSVWithQuotesAndFoldColumn() throws {
    let dir = try temporaryDirectory(self)
    let path = try write(
      "fold,text,label\n0,\"good, really good\",pos\n1,\"said \"\"meh\"\"\",neg\n", "d.csv", in: dir
    )
    let data = try LabeledTexts(contentsOf: path, foldColumn: "fold")
    XCTAssertEqual(data.texts, ["good, really good", "said \"meh\""])
    XCTAssertEqual(data.labels, ["pos", "neg"])
    XCTAssertEqual(data.folds, [0, 1])
    XCTAssertEqual(data.subset([1]).folds, [1])
  }

  func testMissingColumnNamesFileAndHeader() throws {
    let dir = try temporaryDirectory(self)
    let path = try write("label\tsentence\n1\tfine\n", "d.tsv", in: dir)
    XCTAssertThrowsError(try LabeledTexts(contentsOf: path)) { error in
      XCTAssertEqual(
        error as? SentimentError,
        .missingColumn(file: path, column: "text", header: ["label", "sentence"]))
      XCTAssertTrue("\(error)".contains("--text-column"))
    }
  }

  func testEmptyTextNamesLine() throws {
    let dir = try temporaryDirectory(self)
    let path = try write("label\ttext\n1\tfine\n0\t  \n", "d.tsv", in: dir)
    XCTAssertThrowsError(try LabeledTexts(contentsOf: path)) { error in
      XCTAssertEqual(error as? SentimentError, .emptyField(file: path, line: 3, column: "text"))
    }
  }

  func testHeaderOnlyFileIsAnError() throws {
    let dir = try temporaryDirectory(self)
    let path = try write("label\ttext\n", "d.tsv", in: dir)
    XCTAssertThrowsError(try LabeledTexts(contentsOf: path)) { error in
      XCTAssertEqual(error as? SentimentError, .noRows(file: path))
    }
  }

  func testMalformedQuotedFieldNamesFileAndLine() throws {
    let dir = try temporaryDirectory(self)
    let path = try write("text,label\n\"ok\",1\n\"never closed,0\n", "d.csv", in: dir)
    XCTAssertThrowsError(try LabeledTexts(contentsOf: path)) { error in
      let e = try? XCTUnwrap(error as? TextInputError)
      XCTAssertEqual(e?.file, path)
      XCTAssertEqual(e?.line, 3)
    }
  }

  func testBadFoldValueNamesLine() throws {
    let dir = try temporaryDirectory(self)
    let path = try write("text\tlabel\tfold\na\t1\t0\nb\t0\tx\n", "d.tsv", in: dir)
    XCTAssertThrowsError(try LabeledTexts(contentsOf: path, foldColumn: "fold")) { error in
      guard case .invalidField(_, let line, "fold", "x", _)? = error as? SentimentError else {
        return XCTFail("unexpected \(error)")
      }
      XCTAssertEqual(line, 3)
    }
  }
}
