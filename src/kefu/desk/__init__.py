"""The live desk: the agent seat (话务席) and the supervisor console (班长席) on the switch."""
