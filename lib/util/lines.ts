/**
 * Splitting a text stream into lines (`\n` or `\r\n`), for log reading and child output.
 * Our own: `@std/streams`' `TextLineStream` is on JSR only, not reachable from the npm registry.
 */

/** A TransformStream of text chunks into lines without their line endings. */
export class LineSplitStream extends TransformStream<string, string> {
  constructor() {
    let buffer = "";
    super({
      transform(chunk, controller) {
        buffer += chunk;
        let start = 0;
        for (let nl = buffer.indexOf("\n", start); nl !== -1; nl = buffer.indexOf("\n", start)) {
          const end = nl > start && buffer.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
          controller.enqueue(buffer.slice(start, end));
          start = nl + 1;
        }
        buffer = buffer.slice(start);
      },
      flush(controller) {
        if (buffer !== "") controller.enqueue(buffer.endsWith("\r") ? buffer.slice(0, -1) : buffer);
      },
    });
  }
}
