// Setup file of the jest project `iam`: every local stack of the suites it reruns starts in IAM mode.
import { LOCAL_IAM_ENV } from "../../local/localStack";

process.env[LOCAL_IAM_ENV] = "1";
