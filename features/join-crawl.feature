Feature: Joining through one peer reaches everyone
  A node that knows a single peer crawls the peer lists it is given and
  dials every member it has not met, so the network ends as one full mesh
  within a handful of round trips, not a number of periods.

  Background:
    Given the wire delays every segment by 5 ms with up to 5 ms of jitter

  Scenario Outline: a chain of <count> nodes, each knowing only the one started before it
    Given a chain of <count> nodes started 100 ms apart, each joining through the one before it
    Then the network forms one full mesh within <within>
    And no node reported a peer disconnected, dead or rejected

    Examples:
      | count | within |
      | 3     | 1 s    |
      | 10    | 1 s    |
      | 50    | 2 s    |
