// The anchor of bench:startup: the smallest Ink app, built the same way as the console.
import React from 'react';
import {render, Text} from 'ink';

render(<Text>Hello from a bare Ink app</Text>);
setInterval(() => {}, 1000);
