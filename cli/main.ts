/** The `apikeys` command: wires the process's streams, environment and AWS clients into {@link runCli}. */
import { nodeContext } from "./nodeContext";
import { runCli } from "./runCli";

const { context, close } = nodeContext();
runCli(process.argv.slice(2), context)
  .then((code) => {
    process.exitCode = code;
  })
  .finally(close);
