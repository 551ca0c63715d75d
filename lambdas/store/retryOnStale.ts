import { StaleRecordError } from "../../contract";

/** How often an operation reads a key again after another write got there first, before it answers a conflict. */
const ATTEMPTS = 8;

/**
 * Runs `attempt` (read the record, decide, write conditionally on what was read) again while its write finds that
 * the record moved on. A short random pause between attempts keeps racing writers from colliding in step.
 */
export async function retryOnStale<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleRecordError) || tries >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * tries));
    }
  }
}
