// A question the run waits on (a spent budget, a workflow past --confirm-over with --yes): its
// text and the keys that answer it, in one or two lines under the header.
import { Box, Text } from "ink";
import type { QuestionSession } from "./ui-store.js";

export interface QuestionLineProps {
  readonly question: QuestionSession;
  readonly width: number;
}

export function QuestionLine({ question, width }: QuestionLineProps) {
  return (
    <Box flexDirection="column" width={width}>
      <Text color="yellow" wrap="wrap">
        {question.text}
      </Text>
      <Text wrap="truncate-end">
        {question.choices.map((choice, i) => (
          <Text key={choice.key}>
            {i > 0 ? "  " : ""}
            <Text bold color="cyan">
              {choice.key}
            </Text>{" "}
            {choice.label}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
